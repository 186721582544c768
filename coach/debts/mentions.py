"""The values the debts reader works with: a debt as named in a message, the budget,
and the package-internal drafts of one reading (see coach/debts/intake.py)."""

from dataclasses import dataclass, field

from coach.debts.lexicon import LexiconEntry
from coach.figures.money import (
    NumberMatch,
)

# --- Values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebtMention:
    """One debt as named in a message.

    ``label`` is the lender as the user said it, lightly normalised ("招商的" → 招商,
    "建行的房贷" → 建行房贷), "" when unnamed; ``lender`` the lexicon's canonical name
    (招行 → 招商银行), "" when unnamed or a word for a kind of debt. ``balance`` is None
    when the user named the debt without an amount ("房贷也逾期了"); ``approximate`` that
    it was said as about (两万多, 5万左右). ``monthly_rate`` is a fraction per month.
    """

    label: str
    lender_type: str
    balance: int | None
    months_overdue: int | None = None
    monthly_rate: float | None = None
    judgment: bool = False
    secured: bool = False
    required_monthly: int | None = None
    approximate: bool = False
    lender: str = ""
    claimed_total: int | None = None


@dataclass(frozen=True)
class Budget:
    """What the user said about money each month and saved, None where not said.

    ``affordable`` is what they can put towards the debts each month (一个月只能拿出3000).
    """

    affordable: int | None = None
    income: int | None = None
    expenses: int | None = None
    savings: int | None = None


@dataclass(frozen=True)
class Mention:
    """A lender name (or, in edits, 第二笔) found in the message."""

    start: int
    end: int
    label: str
    entry: LexiconEntry
    counted: bool = False  # 三张信用卡: a heading
    dropped: bool = False  # 没有网贷, 广发的不算, 删掉建行
    ordinal: int | None = None


@dataclass(frozen=True)
class Facts:
    months_overdue: int | None = None
    monthly_rate: float | None = None
    judgment: bool = False
    secured: bool = False
    every: bool = False  # said after 都: true of all debts named before


@dataclass(frozen=True)
class Draft:
    """A debt on its way out: where it is named, its balance and details."""

    anchors: tuple[int, ...]
    mention: Mention | None
    lender_type: str
    balance: int | None = None
    approximate: bool = False
    total: bool = False
    required_monthly: int | None = None
    tentative: bool = False  # a generic word alone: kept only when details follow
    facts: Facts = field(default_factory=Facts)
    claimed_total: int | None = None  # 连本带息要五万: what the lender says is owed

    @property
    def first(self) -> int:
        return min(self.anchors)


@dataclass(frozen=True)
class MessageText:
    plain: str  # normalised
    masked: str  # lender names and rates masked
    clause_starts: tuple[int, ...]
    sentence_starts: tuple[int, ...]

    def clause_start(self, position: int) -> int:
        return max((s for s in self.clause_starts if s <= position), default=0)

    def clause_end(self, position: int) -> int:
        return min((s - 1 for s in self.clause_starts if s > position), default=len(self.plain))

    def sentence(self, position: int) -> int:
        return max((s for s in self.sentence_starts if s <= position), default=0)


@dataclass(frozen=True)
class Amount:
    number: NumberMatch
    value: int
    role: str
    window: int  # where the words that decide its role begin
