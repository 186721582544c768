"""Reads several debts, the budget and edits to the list from what the user types.

"招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000" gives five debts (78000
in all) and a budget the user can afford: 3000 a month. The message is first normalised
(coach/language/normalise.py: simplified characters, half-width digits, chat
abbreviations), so labels are in that form ("借唄" → 借呗, "xyk" → 信用卡).

How a debt is read:

1. Lender names come from the lexicon content/lenders.yml: bank names with an optional
   银行 and product after them (招行信用卡, 建行的房贷 → 建行房贷), online lenders,
   secured loans, private lenders. A bank named alone is a credit card (see the lexicon).
2. Amounts are found by coach/figures/money.py; those that are income, expenses,
   savings or money paid out (coach/figures/extract.py decides) belong to the budget.
   Identifiers (尾号1234), dates (2023.5), phone numbers, amounts after 不是, interest,
   credit limits and money already paid back are no debts.
3. Each remaining amount goes with the nearest lender named before it since the previous
   debt, in its sentence, else with a lender straight after it (3万的建行, 3万网贷), else
   it is an unnamed debt ("一张2万一张3万": two cards). 各 gives the amount to every
   lender before it; 还剩/剩下 and corrections without a new lender refine the previous
   debt; an unnamed total (一共8万) is dropped when the debts are listed too. A monthly
   sum is never a balance: after 月供 or a loan it is what the debt requires each month,
   after 能还/只能拿出 what the user can afford (read_budget).
4. A lender named without an amount is a debt of unknown balance, unless it is a count
   heading (三张信用卡), a word for a kind of debt (信用卡, 网贷, 银行, 朋友) that adds no
   detail, or refers to a debt already named (房贷 … 银行已经起诉了).
5. Negated or finished lenders are left out with their amounts (没有网贷, 广发的不算,
   广发8k已经还清了, 删掉建行那笔).
6. Details (months overdue, interest rate, court action, 抵押) belong to the debt named
   last before them in their sentence, else to the next in their clause; after 都 to
   every debt named before them.

``read_edit`` reads the same way, with 第二笔 also pointing at a debt, and compares what
it read with the list the user already has: a lender it already holds is a correction
(or a removal when dropped), another one an addition.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from coach.content import load_content
from coach.debts.model import Debt
from coach.figures.extract import (
    CLAIMED_TOTAL,
    LUMP_SUM,
    MONTHLY_EXPENSES,
    MONTHLY_INCOME,
    MONTHS_OVERDUE,
    RECEIVED,
    Figure,
    extract_figures,
)
from coach.figures.money import (
    AMOUNT,
    CN_DIGIT_VALUES,
    UNIT_VALUES,
    NumberMatch,
    find_numbers,
    parse_number,
)
from coach.language.normalise import normalise

CREDIT_CARD, BANK_LOAN, ONLINE_LENDER, OTHER = "credit_card", "bank_loan", "online_lender", "other"
ADD, REMOVE, CORRECT, MIXED, UNKNOWN = "add", "remove", "correct", "mixed", "unknown"

_BUDGET_KINDS = frozenset({MONTHLY_INCOME, MONTHLY_EXPENSES, LUMP_SUM, RECEIVED})
_SENTENCE_BREAKS = "。;!?\n；！？"
_PHRASE_BREAKS = _SENTENCE_BREAKS + ",，"
_CLAUSE_BREAKS = _PHRASE_BREAKS + "、:： "
_MASK = "\u0000"
_BLANK = "\u25a1"  # □: neither digit, unit nor counter to money.py
_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}[./-]\d{1,2}(?:[./-]\d{1,2})?(?![\d.wk])"
    r"|(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d{2}(?!\d)"
)
_UNITS = "".join(UNIT_VALUES)
_THOUSANDS = re.compile(rf"(?<![\d.{_UNITS}])\d{{1,3}}(?:,\d{{3}})+(?![\d,])")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_LONG_DIGITS = re.compile(r"\d{9,}")
_ARABIC_NUMBER = r"\d+(?:\.\d+)?"


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
class DebtEdit:
    """What a message changes on the user's list of debts.

    ``added`` are new debts (a balance may be None: ask for it); ``removed`` the ids to
    drop; ``corrected`` the debts with their new values, ids unchanged; ``unknown`` the
    labels the user wanted removed that match no debt ("删掉工行那笔" with no 工行).
    """

    added: tuple[DebtMention, ...] = ()
    removed: tuple[str, ...] = ()
    corrected: tuple[Debt, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """add, remove, correct, unknown, or mixed when it does more than one."""
        done = [
            name
            for name, items in (
                (ADD, self.added),
                (REMOVE, self.removed),
                (CORRECT, self.corrected),
            )
            if items
        ]
        if len(done) > 1:
            return MIXED
        return done[0] if done else UNKNOWN


# --- Content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """A lender of the lexicon as one name found it."""

    canonical: str
    lender_type: str
    secured: bool = False
    generic: bool = False  # a kind of debt (信用卡, 网贷, 朋友), not one lender
    alone: bool = True  # names a debt without an amount beside it
    explicit: bool = True  # the type was said (卡, 贷款), not assumed for a bank
    heading: bool = True  # as a count heading (三张信用卡) it gives later debts its type


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    names: dict[str, _Entry]
    banks: dict[str, str]
    products: dict[str, tuple[str, bool]]
    everyday: frozenset[str]
    possessive: str
    refers_to: dict[str, tuple[str, ...]]
    type_names: dict[str, str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _words(data: dict[str, Any], key: str) -> list[str]:
    return [str(word) for word in data[key]]


@cache
def _lexicon() -> _Lexicon:
    data = load_content("lenders")
    banks = {str(a): str(bank) for bank, names in data["banks"].items() for a in names}
    products = {
        str(word): (str(spec["type"]), bool(spec.get("secured", False)))
        for word, spec in data["products"].items()
    }
    names = {
        str(name): _Entry(
            canonical=str(canonical),
            lender_type=str(spec["type"]),
            secured=bool(spec.get("secured", False)),
            generic=bool(spec.get("generic", False)),
            alone=not spec.get("generic", False),
            heading=bool(spec.get("heading", True)),
        )
        for canonical, spec in data["lenders"].items()
        for name in spec["names"]
    }
    card = [word for word in products if len(word) == 1]
    product_words = _alternation(word for word in products if word not in card)
    bare_card = _alternation(card) + f"(?![{re.escape(str(data['card_not_before']))}])"
    pattern = re.compile(
        f"(?P<name>{_alternation(names)})"
        f"|(?P<bank>{_alternation(banks)})(?P<suffix>{re.escape(str(data['bank_suffix']))})?"
        f"(?:(?P<de>{re.escape(str(data['possessive']))})?(?P<product>{product_words}|{bare_card}))?"
    )
    refers = {str(k): tuple(str(t) for t in v) for k, v in data["generic_refers_to"].items()}
    return _Lexicon(
        pattern=pattern,
        names=names,
        banks=banks,
        products=products,
        everyday=frozenset(_words(data, "everyday_words")),
        possessive=str(data["possessive"]),
        refers_to=refers,
        type_names={str(k): str(v) for k, v in data["type_names"].items()},
    )


@dataclass(frozen=True)
class _Cues:
    """The word lists of content/debt_intake.yml, as regular expressions."""

    data: dict[str, Any]
    amount_cue: re.Pattern[str]
    amount_cue_kinds: dict[str, str]
    per_month: re.Pattern[str]
    per_month_after: re.Pattern[str]
    negated_amount: re.Pattern[str]
    identifier: re.Pattern[str]
    approximate_before: re.Pattern[str]
    approximate_after: re.Pattern[str]
    counted: re.Pattern[str]
    card_counted: re.Pattern[str]
    lender_negated: re.Pattern[str]
    dropped: re.Pattern[str]
    dropped_blockers: re.Pattern[str]
    remove: re.Pattern[str]
    add_strong: re.Pattern[str]
    ordinal: re.Pattern[str]
    judgment: re.Pattern[str]
    judgment_sure: re.Pattern[str]
    judgment_threat: re.Pattern[str]
    secured: re.Pattern[str]
    all_words: re.Pattern[str]
    joiners: re.Pattern[str]
    rate: re.Pattern[str]
    rate_kinds: dict[str, str]


# The cue words before an amount, by what they make it (content/debt_intake.yml).
_AMOUNT_ROLES = (
    "owed",
    "not_owed",
    "required",
    "due",
    "affordable",
    "total",
    "correction",
    "refine",
    "each",
)


def _any(data: dict[str, Any], key: str) -> str:
    return _alternation(_words(data, key))


@cache
def _cues() -> _Cues:
    data = load_content("debt_intake")
    kinds = {word: role for role in _AMOUNT_ROLES for word in _words(data, role)}
    digits = "".join(CN_DIGIT_VALUES) + str(data["count_digits"])
    count = rf"(?P<count>\d+|[{digits}]+)\s?"
    rate, rate_kinds = _rate_pattern(data)
    return _Cues(
        data=data,
        amount_cue=re.compile(_alternation(kinds)),
        amount_cue_kinds=kinds,
        per_month=re.compile(_any(data, "per_month")),
        per_month_after=re.compile(rf"\s?(?:{_any(data, 'per_month_after')})"),
        negated_amount=re.compile(rf"(?:{_any(data, 'negated_amount')})\D{{0,3}}$"),
        identifier=re.compile(
            rf"(?:{_any(data, 'id_words')})(?:{_any(data, 'id_joiners')}|[:：\s])*$"
        ),
        approximate_before=re.compile(rf"(?:{_any(data, 'approximate_before')})\s?$"),
        approximate_after=re.compile(rf"\s?(?:{_any(data, 'approximate_after')})"),
        counted=re.compile(rf"{count}(?:{_any(data, 'counters')})\s?$"),
        card_counted=re.compile(rf"{count}(?:{_any(data, 'card_counters')})"),
        lender_negated=re.compile(
            rf"(?:{_any(data, 'lender_negation')})(?:{_any(data, 'lender_negation_fillers')})*$"
        ),
        dropped=re.compile(_any(data, "lender_dropped")),
        dropped_blockers=re.compile(_any(data, "dropped_negation")),
        remove=re.compile(_any(data, "remove")),
        add_strong=re.compile(_any(data, "add_strong")),
        ordinal=re.compile(
            rf"{re.escape(str(data['ordinal_prefix']))}(?P<n>\d+|[{digits}]+)"
            rf"(?:{_any(data, 'ordinal_counters')})|(?P<last>{_any(data, 'ordinal_last')})"
        ),
        judgment=re.compile(_any(data, "judgment")),
        judgment_sure=re.compile(_any(data, "judgment_sure")),
        judgment_threat=re.compile(_any(data, "judgment_threat")),
        secured=re.compile(_any(data, "secured")),
        all_words=re.compile(_any(data, "all")),
        joiners=re.compile(_any(data, "joiners")),
        rate=rate,
        rate_kinds=rate_kinds,
    )


def _rate_pattern(data: dict[str, Any]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for 月息1.5%, 年化18%, 日息万五, 月息2分, 3分利 …; kinds by cue word."""
    kinds = {str(word): kind for kind, words in data["rates"].items() for word in words}
    words = {key: re.escape(str(word)) for key, word in data["rate_words"].items()}
    digit = f"[{''.join(CN_DIGIT_VALUES)}]"
    numerals = "".join(CN_DIGIT_VALUES) + "".join(u for u in UNIT_VALUES if UNIT_VALUES[u] < 1000)
    number = rf"(?:{_ARABIC_NUMBER}|[{numerals}{words['decimal_point']}]+)"
    value = (
        rf"(?P<pct>{_ARABIC_NUMBER})\s?%"
        rf"|{words['percent']}(?P<pct_cn>{number})"
        rf"|{words['per_ten_thousand']}(?P<ptt>{number})"
        rf"|{words['per_thousand']}(?P<pt>{number})"
        rf"|{words['ten_thousandth']}(?P<wan>{digit}|\d)(?!\d)"
        rf"|{words['thousandth']}(?P<qian>{digit}|\d)(?!\d)"
        rf"|(?P<fen>{number}){words['fen']}(?P<fen_tenth>{digit}|\d)?"
        rf"|(?P<li>{number}){words['li']}"
    )
    fillers = rf"(?:{_any(data, 'rate_fillers')}|[:：\s])*"
    pattern = (
        rf"(?P<cue>{_alternation(kinds)}){fillers}(?:{value})"
        rf"|(?P<fen_alone>{number}){words['fen_interest']}"
    )
    return re.compile(pattern), kinds


# --- Reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    """A lender name (or, in edits, 第二笔) found in the message."""

    start: int
    end: int
    label: str
    entry: _Entry
    counted: bool = False  # 三张信用卡: a heading
    dropped: bool = False  # 没有网贷, 广发的不算, 删掉建行
    ordinal: int | None = None


@dataclass(frozen=True)
class _Facts:
    months_overdue: int | None = None
    monthly_rate: float | None = None
    judgment: bool = False
    secured: bool = False
    every: bool = False  # said after 都: true of all debts named before


@dataclass(frozen=True)
class _Draft:
    """A debt on its way out: where it is named, its balance and details."""

    anchors: tuple[int, ...]
    mention: _Mention | None
    lender_type: str
    balance: int | None = None
    approximate: bool = False
    total: bool = False
    required_monthly: int | None = None
    tentative: bool = False  # a generic word alone: kept only when details follow
    facts: _Facts = field(default_factory=_Facts)
    claimed_total: int | None = None  # 连本带息要五万: what the lender says is owed

    @property
    def first(self) -> int:
        return min(self.anchors)


@dataclass(frozen=True)
class _Text:
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
class _Amount:
    number: NumberMatch
    value: int
    role: str
    window: int  # where the words that decide its role begin


@dataclass(frozen=True)
class _Reading:
    text: _Text
    mentions: tuple[_Mention, ...]
    drafts: tuple[_Draft, ...]
    loose: _Facts  # details that belong to no debt named in the message
    budget: Budget


def read_debts(text: str) -> list[DebtMention]:
    """Every debt named in ``text``, in the order named."""
    return [_as_mention(draft) for draft in _read(text, edits=False).drafts]


def read_budget(text: str) -> Budget:
    """Income, expenses, savings and what the user can afford each month, when said."""
    return _read(text, edits=False).budget


def _read(text: str, edits: bool) -> _Reading:
    plain = normalise(text)
    mentions = _find_mentions(plain, edits)
    rates = list(_cues().rate.finditer(plain))
    spans = [(m.start, m.end) for m in mentions] + [r.span() for r in rates]
    spans += [d.span() for d in _DATE.finditer(plain)]
    prepared = _prepare(plain, spans)
    figures = extract_figures(_masked_for_extract(plain, mentions))
    amounts = _amounts(prepared, plain, spans, figures)
    drafts = _pair(prepared, mentions, amounts)
    drafts, loose = _add_details(prepared, drafts, figures, rates)
    return _Reading(prepared, tuple(mentions), tuple(drafts), loose, _budget(figures, amounts))


def _prepare(plain: str, spans: Sequence[tuple[int, int]]) -> _Text:
    chars = list(plain)
    for start, end in spans:
        chars[start:end] = _MASK * (end - start)
    clauses = [i + 1 for i, char in enumerate(plain) if char in _CLAUSE_BREAKS]
    sentences = [i + 1 for i, char in enumerate(plain) if char in _SENTENCE_BREAKS]
    return _Text(plain, "".join(chars), tuple(clauses), tuple(sentences))


def _masked_for_extract(plain: str, mentions: Sequence[_Mention]) -> str:
    """Our lender names as 网贷…: extract.py then reads no cue inside them (拿去花)."""
    chars = list(plain)
    mask = str(_cues().data["extract_mask"])
    for mention in mentions:
        length = mention.end - mention.start
        chars[mention.start : mention.end] = (mask * length)[:length]
    return "".join(chars)


# --- Lender names ------------------------------------------------------------------------


def _find_mentions(plain: str, edits: bool) -> list[_Mention]:
    lexicon = _lexicon()
    found = [_mention(match, lexicon) for match in lexicon.pattern.finditer(plain)]
    if edits:
        found += _ordinals(plain, found)
    found.sort(key=lambda mention: mention.start)
    return _dropped_together(plain, [_judged(plain, mention, found) for mention in found])


def _dropped_together(plain: str, mentions: list[_Mention]) -> list[_Mention]:
    """广发和建行都删掉, 没有广发和建行: lenders joined by 和/、 go together."""
    joiner = _cues().joiners
    pairs = [(index - 1, index) for index in range(1, len(mentions))]
    for first, second in [*reversed(pairs), *pairs]:
        between = plain[mentions[first].end : mentions[second].start].strip()
        if not (between and joiner.fullmatch(between)):
            continue
        if mentions[first].dropped or mentions[second].dropped:
            mentions[first] = replace(mentions[first], dropped=True)
            mentions[second] = replace(mentions[second], dropped=True)
    return mentions


def _mention(match: re.Match[str], lexicon: _Lexicon) -> _Mention:
    start, end = match.span()
    if match.group("name"):
        return _Mention(start, end, match.group("name"), lexicon.names[match.group("name")])
    bank, product = match.group("bank"), match.group("product")
    label = bank + (match.group("suffix") or "") + (product or "")
    lender_type, secured = lexicon.products[product] if product else (CREDIT_CARD, False)
    everyday = bank in lexicon.everyday and not (match.group("suffix") or product)
    entry = _Entry(lexicon.banks[bank], lender_type, secured, alone=not everyday)
    return _Mention(start, end, label, replace(entry, explicit=bool(product)))


def _ordinals(plain: str, taken: Sequence[_Mention]) -> list[_Mention]:
    """第二笔, 第3个, 最后一笔 (-1): a debt by its number in the list (edits only)."""
    found = []
    for match in _cues().ordinal.finditer(plain):
        number = -1.0 if match.group("last") else _plain_number(match.group("n"))
        if number is None or any(m.start < match.end() and match.start() < m.end for m in taken):
            continue
        entry = _Entry("", OTHER, generic=True, alone=False)
        found.append(_Mention(*match.span(), match.group(), entry, ordinal=int(number)))
    return found


def _judged(plain: str, mention: _Mention, mentions: Sequence[_Mention]) -> _Mention:
    """Marks count headings (三张信用卡) and lenders that are no debt (没有网贷)."""
    cues = _cues()
    before = plain[max(0, mention.start - 8) : mention.start]
    count = cues.counted.search(before)
    counted = count is not None and _plain_number(count.group("count")) != 1  # 一张: one
    clause = plain[_clause_start(plain, mention.start) : mention.start]
    following = [m.start for m in mentions if m.start >= mention.end]
    after = plain[mention.end : min([_clause_end(plain, mention.end), *following])]
    dropped = bool(
        cues.lender_negated.search(before) or cues.remove.search(clause) or _says_done(after)
    )
    return replace(mention, counted=counted, dropped=dropped)


def _says_done(after: str) -> bool:
    """广发的不算, 8k已经还清了, 那笔删掉 – but not 还没还清, 想一次还清."""
    cues = _cues()
    match = cues.dropped.search(after)
    return match is not None and not cues.dropped_blockers.search(after, 0, match.start())


def _clause_start(plain: str, position: int) -> int:
    starts = [i + 1 for i in range(position) if plain[i] in _CLAUSE_BREAKS]
    return starts[-1] if starts else 0


def _clause_end(plain: str, position: int) -> int:
    ends = [i for i in range(position, len(plain)) if plain[i] in _CLAUSE_BREAKS]
    return ends[0] if ends else len(plain)


# --- Amounts -----------------------------------------------------------------------------


def _amounts(
    text: _Text, plain: str, spans: Sequence[tuple[int, int]], figures: Sequence[Figure]
) -> list[_Amount]:
    kinds = _figure_kinds(figures)
    found: list[_Amount] = []
    previous_end = 0
    for number in find_numbers(_blanked(plain, spans)):
        if number.kind != AMOUNT or _is_not_money(text, number, spans):
            continue
        window = max(text.clause_start(number.start), previous_end)
        kind = kinds.get(number.start) or _inside(figures, number)
        role = _role(text, number, window, kind)
        found.append(_Amount(number, int(round(number.value)), role, window))
        previous_end = number.end
    return found


def _blanked(plain: str, spans: Sequence[tuple[int, int]]) -> str:
    """Lender names, rates and dates blanked out before numbers are looked for, so that
    "1万1，360借条" is no "1,360" and 度小满 counts nothing; so are commas between digits
    that group no thousands (NFKC made the Chinese comma of "1万1，100k" an ASCII one)."""
    chars = list(plain)
    for start, end in spans:
        chars[start:end] = _BLANK * (end - start)
    grouped = {i for match in _THOUSANDS.finditer(plain) for i in range(*match.span())}
    for match in _DIGIT_COMMA.finditer(plain):
        if match.start() not in grouped:
            chars[match.start()] = _BLANK  # 1万1，100k: a Chinese comma, folded by NFKC
    return "".join(chars)


def _figure_kinds(figures: Sequence[Figure]) -> dict[int, str]:
    return {figure.start: figure.kind for figure in figures}


def _inside(figures: Sequence[Figure], number: NumberMatch) -> str | None:
    """A part of a summed budget figure (房租2000加生活费1500)."""
    for figure in figures:
        if figure.kind in _BUDGET_KINDS and figure.start <= number.start < figure.end:
            return figure.kind
    return None


def _is_not_money(text: _Text, number: NumberMatch, spans: Sequence[tuple[int, int]]) -> bool:
    """Inside a lender name, rate or date; an identifier (尾号1234); a phone number."""
    if any(number.start < end and start < number.end for start, end in spans):
        return True
    if number.value <= 0 or _LONG_DIGITS.fullmatch(number.text.strip()):
        return True
    before = text.plain[max(0, number.start - 8) : number.start]
    return bool(_cues().identifier.search(before))


def _role(text: _Text, number: NumberMatch, window: int, kind: str | None) -> str:
    """budget, skip, affordable, required, monthly, total, correction, refine, each, debt."""
    if kind in _BUDGET_KINDS:
        return "budget"
    if kind == CLAIMED_TOTAL:
        return "claimed"
    cues = _cues()
    words = text.masked[window : number.start]
    if cues.negated_amount.search(words):
        return "skip"
    last = list(cues.amount_cue.finditer(words))
    roles = [cues.amount_cue_kinds[match.group()] for match in last]
    role = roles[-1] if roles else "owed"
    for modifier in ("total", "each"):
        if role == "owed" and modifier in roles:
            role = modifier  # 总共欠了8万, 各欠一万
    monthly = bool(
        cues.per_month.search(words) or cues.per_month_after.match(text.plain, number.end)
    )
    if role == "not_owed":
        return "skip"
    if role == "due":
        return "required" if monthly else "refine"
    if role in ("affordable", "required"):
        return role
    if monthly:
        return "monthly"
    return "debt" if role == "owed" else role


def _budget(figures: Sequence[Figure], amounts: Sequence[_Amount]) -> Budget:
    def last(kind: str) -> int | None:
        values = [int(round(float(f.value))) for f in figures if f.kind == kind]
        return values[-1] if values else None

    affordable = [a.value for a in amounts if a.role == "affordable"]
    return Budget(
        affordable=affordable[-1] if affordable else None,
        income=last(MONTHLY_INCOME),
        expenses=last(MONTHLY_EXPENSES),
        savings=last(LUMP_SUM),
    )


# --- Pairing amounts with lenders --------------------------------------------------------


@dataclass
class _Pairing:
    """The state of one walk through the amounts (local to ``_pair``)."""

    text: _Text
    mentions: Sequence[_Mention]
    drafts: list[_Draft] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    required: dict[int, int] = field(default_factory=dict)  # mention index → 月供
    last_end: int = 0
    amount_starts: tuple[int, ...] = ()
    pending_required: int | None = None  # said before any debt was named


def _pair(text: _Text, mentions: Sequence[_Mention], amounts: Sequence[_Amount]) -> list[_Draft]:
    state = _Pairing(text, mentions, amount_starts=tuple(a.number.start for a in amounts))
    for amount in amounts:
        if amount.role not in ("budget", "skip", "affordable"):
            _place(state, amount)
    _add_unpaired(state)
    drafts = _without_totals(state.drafts)
    if state.pending_required is not None and len(drafts) == 1:
        drafts = [replace(drafts[0], required_monthly=state.pending_required)]
    return sorted(drafts, key=lambda draft: draft.first)


def _place(state: _Pairing, amount: _Amount) -> None:
    window = _window(state, amount.number)
    if amount.role == "claimed" and state.drafts:
        # 本金两万 连本带息要五万: one debt with two amounts, the principal stays its balance.
        state.drafts[-1] = replace(state.drafts[-1], claimed_total=amount.value)
        state.last_end = amount.number.end
        return
    if amount.role in ("required", "monthly"):
        _place_monthly(state, amount, window)
        return
    if amount.role in ("refine", "correction") and _refined(state, amount, window):
        return
    if amount.role == "each" and window:
        for index in window:
            _new_draft(state, amount, index)
        return
    lender = window[-1] if window else _lender_after(state, amount.number)
    if amount.role == "total" and (lender is None or state.mentions[lender].entry.generic):
        lender = None  # 网贷加起来6万: a total over several, not one debt
    _new_draft(state, amount, lender, total=amount.role == "total" and lender is None)


def _window(state: _Pairing, number: NumberMatch) -> list[int]:
    """Lenders named since the previous debt's amount, in the amount's sentence; a bank
    name that is also an everyday word (建设) only in the amount's clause."""
    sentence = state.text.sentence(number.start)
    start = max(state.last_end, sentence)
    return [
        index
        for index, mention in enumerate(state.mentions)
        if index not in state.used
        and not mention.counted
        and start <= mention.start
        and mention.end <= number.start
        and (mention.entry.alone or mention.entry.generic or _listed(state, mention, number))
    ]


def _listed(state: _Pairing, mention: _Mention, number: NumberMatch) -> bool:
    """No comma or full stop between (兴业、光大的卡各欠一万; not 心理建设做好了，欠了5万)."""
    between = state.text.plain[mention.end : number.start]
    return not any(char in _PHRASE_BREAKS for char in between)


def _lender_after(state: _Pairing, number: NumberMatch) -> int | None:
    """3万的建行, 3万网贷: a lender straight after, unless an amount of its own follows
    before the clause or the next lender (1w 白条5k: 5k is 白条's)."""
    gap = re.compile(rf"\s?(?:{re.escape(_lexicon().possessive)})?\s?")
    for index, mention in enumerate(state.mentions):
        if index in state.used or mention.counted or mention.start < number.end:
            continue
        if not gap.fullmatch(state.text.plain, number.end, mention.start):
            return None
        return None if _has_own_amount(state, mention) else index
    return None


def _has_own_amount(state: _Pairing, mention: _Mention) -> bool:
    """白条5k, 白条欠5k: an amount follows in the clause, with no joiner (和, 、) or other
    lender before it."""
    clause_end = state.text.clause_end(mention.end)
    nearer = [m.start for m in state.mentions if m.start >= mention.end] + [clause_end]
    following = [s for s in state.amount_starts if mention.end <= s < min(nearer)]
    if not following:
        return False
    return not _cues().joiners.search(state.text.masked, mention.end, following[0])


def _place_monthly(state: _Pairing, amount: _Amount, window: list[int]) -> None:
    """月供3000: what the loan named with it (or the last debt) requires each month."""
    if window:
        state.required[window[-1]] = amount.value
    elif state.drafts and amount.role == "required":
        last = state.drafts[-1]
        state.drafts[-1] = replace(last, required_monthly=amount.value)
    elif amount.role == "required":
        state.pending_required = amount.value  # 每期还1200，借的是度小满


def _refined(state: _Pairing, amount: _Amount, window: list[int]) -> bool:
    """还剩1万 (no new lender) or 不对，建行是1.5万 (a lender already listed)."""
    if not window and state.drafts:
        _update(state, len(state.drafts) - 1, amount)
        return True
    if window and amount.role == "correction":
        entry = state.mentions[window[-1]].entry
        same = [i for i, d in enumerate(state.drafts) if d.mention and d.mention.entry == entry]
        if same:
            state.used.update(window)
            _update(state, same[-1], amount)
            return True
    return False


def _update(state: _Pairing, index: int, amount: _Amount) -> None:
    draft = state.drafts[index]
    anchors = (*draft.anchors, amount.number.start)
    approximate = _is_approximate(state.text, amount)
    state.drafts[index] = replace(
        draft, balance=amount.value, anchors=anchors, approximate=approximate
    )
    state.last_end = amount.number.end


def _new_draft(state: _Pairing, amount: _Amount, lender: int | None, total: bool = False) -> None:
    state.last_end = amount.number.end
    if lender is not None:
        state.used.add(lender)
        if state.mentions[lender].dropped:
            return  # 广发8k不算: the amount goes with its lender
    mention = None if lender is None else state.mentions[lender]
    anchors = (amount.number.start,) if mention is None else (mention.start, amount.number.start)
    state.drafts.append(
        _Draft(
            anchors=anchors,
            mention=mention,
            lender_type=_type_of(state, amount, mention),
            balance=amount.value,
            approximate=_is_approximate(state.text, amount),
            total=total,
            required_monthly=None if lender is None else state.required.get(lender),
        )
    )


def _type_of(state: _Pairing, amount: _Amount, mention: _Mention | None) -> str:
    """The lender's type; a bank alone or an unnamed debt may take a heading's type."""
    if mention is not None and mention.entry.explicit:
        return mention.entry.lender_type
    position = amount.number.start
    words = state.text.plain[state.text.clause_start(position) : position]
    if mention is None and _cues().card_counted.search(words):
        return CREDIT_CARD  # 一张2万
    heading = _heading(state, position)
    if heading is not None:
        return heading
    return OTHER if mention is None else mention.entry.lender_type


def _heading(state: _Pairing, position: int) -> str | None:
    """三张信用卡，… / 两个网贷，…: the type of a count heading before, in the sentence."""
    sentence = state.text.sentence(position)
    headings = [
        m.entry.lender_type
        for m in state.mentions
        if m.counted and m.entry.heading and sentence <= m.start < position
    ]
    return headings[-1] if headings else None


def _is_approximate(text: _Text, amount: _Amount) -> bool:
    cues = _cues()
    number = amount.number
    if number.text.rstrip()[-1:] and cues.approximate_after.fullmatch(number.text.rstrip()[-1:]):
        return True
    if cues.approximate_after.match(text.plain, number.end):
        return True
    return bool(cues.approximate_before.search(text.plain, amount.window, number.start))


def _add_unpaired(state: _Pairing) -> None:
    """Lenders named without an amount: a debt of unknown balance, or a reference."""
    for index, mention in enumerate(state.mentions):
        if index in state.used or mention.dropped or mention.counted:
            continue
        target = _referred(state.drafts, mention)
        if target is not None:
            draft = state.drafts[target]
            state.drafts[target] = replace(draft, anchors=(*draft.anchors, mention.start))
            continue
        if mention.entry.alone or mention.entry.generic:
            state.drafts.append(
                _Draft(
                    anchors=(mention.start,),
                    mention=mention,
                    lender_type=mention.entry.lender_type,
                    required_monthly=state.required.get(index),
                    tentative=not mention.entry.alone,
                )
            )


def _referred(drafts: Sequence[_Draft], mention: _Mention) -> int | None:
    """The debt a lender named again stands for: same lender, or (generic) same type."""
    entry = mention.entry
    if mention.ordinal is not None:
        return None
    for index, draft in enumerate(drafts):
        other = draft.mention
        if other and other.entry.canonical == entry.canonical and entry.canonical:
            if not entry.explicit or other.entry.lender_type == entry.lender_type:
                return index
    if not entry.generic:
        return None
    types = _lexicon().refers_to.get(entry.lender_type, (entry.lender_type,))
    fitting = [i for i, draft in enumerate(drafts) if draft.lender_type in types]
    before = [i for i in fitting if drafts[i].first < mention.start]
    if before:
        return before[-1]
    return fitting[0] if fitting else None


def _without_totals(drafts: Sequence[_Draft]) -> list[_Draft]:
    """一共8万，其中招行5万，建行3万: the unnamed total goes when the debts are listed."""
    listed = [d for d in drafts if not d.total and d.balance is not None]
    return [d for d in drafts if not (d.total and listed)]


# --- Details -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detail:
    position: int
    end: int
    facts: _Facts


def _add_details(
    text: _Text,
    drafts: Sequence[_Draft],
    figures: Sequence[Figure],
    rates: Sequence[re.Match[str]],
) -> tuple[list[_Draft], _Facts]:
    result = list(drafts)
    loose = _Facts()
    for detail in _details(text, figures, rates):
        every = _says_every(text, detail.position)
        owners = _owners(text, result, detail, every)
        facts = replace(detail.facts, every=every)
        if not owners:
            loose = _merged(loose, facts)
        for index in owners:
            result[index] = replace(result[index], facts=_merged(result[index].facts, facts))
    kept = [d for d in result if not d.tentative or d.facts != _Facts()]
    return kept, loose


def _details(
    text: _Text, figures: Sequence[Figure], rates: Sequence[re.Match[str]]
) -> list[_Detail]:
    found = [
        _Detail(f.start, f.end, _Facts(months_overdue=_whole_months(float(f.value))))
        for f in figures
        if f.kind == MONTHS_OVERDUE
    ]
    for match in rates:
        rate = _monthly_rate(match)
        if rate is not None:
            found.append(_Detail(match.start(), match.end(), _Facts(monthly_rate=rate)))
    cues = _cues()
    for match in cues.judgment.finditer(text.masked):
        if _is_judgment(text, match.start()):
            found.append(_Detail(match.start(), match.end(), _Facts(judgment=True)))
    for match in cues.secured.finditer(text.masked):
        found.append(_Detail(match.start(), match.end(), _Facts(secured=True)))
    return sorted(found, key=lambda detail: detail.position)


def _whole_months(value: float) -> int:
    """Months overdue as a whole number: half a month or more counts as one."""
    return max(1, int(value + 0.5)) if value > 0 else 0


def _is_judgment(text: _Text, position: int) -> bool:
    """已经被起诉 is court action; 说要起诉, 还没起诉 are not."""
    cues = _cues()
    before = text.plain[max(text.clause_start(position), position - 4) : position]
    if cues.judgment_sure.search(before):
        return True
    return not cues.judgment_threat.search(before)


def _says_every(text: _Text, position: int) -> bool:
    words = text.masked[text.clause_start(position) : position]
    return bool(_cues().all_words.search(words))


def _owners(text: _Text, drafts: Sequence[_Draft], detail: _Detail, every: bool) -> list[int]:
    """Which debts a detail belongs to (see the module docstring, rule 6)."""
    position, sentence = detail.position, text.sentence(detail.position)
    anchors = [(a, i) for i, d in enumerate(drafts) for a in d.anchors]
    if every:
        named = {i for a, i in anchors if sentence <= a < position}
        if named:
            return sorted(named)
    clause_end = text.clause_end(detail.end)
    after = [(a, i) for a, i in anchors if detail.end <= a < clause_end]
    between = text.plain[detail.end : min(after)[0]] if after else ""
    if after and between.rstrip().endswith(_lexicon().possessive):
        return [min(after)[1]]  # 逾期3个月的建行1万
    before = [(a, i) for a, i in anchors if sentence <= a <= position]
    if before:
        return [max(before)[1]]
    if after:
        return [min(after)[1]]
    earlier = [(a, i) for a, i in anchors if a <= position]
    if earlier:
        return [max(earlier)[1]]
    later = [(a, i) for a, i in anchors if text.sentence(a) == sentence]
    return [min(later)[1]] if later else []


def _merged(old: _Facts, new: _Facts) -> _Facts:
    return _Facts(
        months_overdue=new.months_overdue if new.months_overdue is not None else old.months_overdue,
        monthly_rate=new.monthly_rate if new.monthly_rate is not None else old.monthly_rate,
        judgment=old.judgment or new.judgment,
        secured=old.secured or new.secured,
        every=old.every or new.every,
    )


def _monthly_rate(match: re.Match[str]) -> float | None:
    """The rate as a fraction per month (see content/debt_intake.yml)."""
    data = _cues().data
    fraction, per_month = _rate_fraction(match)
    if fraction is None or fraction <= 0:
        return None
    kind = _cues().rate_kinds.get(match.group("cue") or "", "monthly")
    if kind == "bare" and not per_month:
        kind = "yearly" if fraction * 100 >= float(data["bare_rate_yearly_from"]) else "monthly"
    if kind == "yearly":
        fraction /= 12
    elif kind == "daily":
        fraction *= float(data["days_per_month"])
    return round(fraction, 6)


def _rate_fraction(match: re.Match[str]) -> tuple[float | None, bool]:
    """The rate as written, as a fraction; True when it is a monthly 分/厘 figure."""
    group = match.groupdict()
    scales = {"pct": 100, "pct_cn": 100, "ptt": 10000, "pt": 1000, "wan": 10000, "qian": 1000}
    for name, scale in scales.items():
        if group.get(name):
            value = _plain_number(group[name])
            return (None if value is None else value / scale), False
    for name, scale in (("fen", 100), ("fen_alone", 100), ("li", 1000)):
        if group.get(name):
            value = _plain_number(group[name])
            if value is not None and name == "fen" and group.get("fen_tenth"):
                tenth = _plain_number(group["fen_tenth"])
                value += (tenth or 0) / 10
            return (None if value is None else value / scale), True
    return None, False


def _plain_number(written: str) -> float | None:
    """18, 1.5, 十八, 一点五, 五 as numbers."""
    point = str(_cues().data["rate_words"]["decimal_point"])
    whole, _, tenths = written.partition(point)
    if re.fullmatch(_ARABIC_NUMBER, written):
        return float(written)
    value = CN_DIGIT_VALUES.get(whole) if len(whole) == 1 else parse_number(whole)
    if value is None:
        return None
    digits = "".join(str(CN_DIGIT_VALUES.get(char, "")) for char in tenths)
    return float(value) + (float("0." + digits) if digits else 0.0)


def _as_mention(draft: _Draft) -> DebtMention:
    mention = draft.mention
    facts = draft.facts
    entry = mention.entry if mention else None
    return DebtMention(
        label=mention.label if mention else "",
        lender_type=draft.lender_type,
        balance=draft.balance,
        months_overdue=facts.months_overdue,
        monthly_rate=facts.monthly_rate,
        judgment=facts.judgment,
        secured=facts.secured or bool(entry and entry.secured),
        required_monthly=draft.required_monthly,
        approximate=draft.approximate,
        lender="" if entry is None or entry.generic else entry.canonical,
        claimed_total=draft.claimed_total,
    )


# --- Debts and edits ---------------------------------------------------------------------


def debt_from_mention(mention: DebtMention, debt_id: str) -> Debt:
    """The Debt of a mention; its balance must be known."""
    if mention.balance is None:
        raise ValueError(f"the balance of {mention.label or 'a debt'} is not known")
    return Debt(
        id=debt_id,
        label=mention.label,
        lender_type=mention.lender_type,
        balance=mention.balance,
        months_overdue=mention.months_overdue,
        monthly_rate=mention.monthly_rate,
        judgment=mention.judgment,
        secured=mention.secured,
        required_monthly=mention.required_monthly,
        claimed_total=mention.claimed_total,
    )


def debts_from_mentions(
    mentions: Iterable[DebtMention], existing: Sequence[Debt] = ()
) -> list[Debt]:
    """Debts with ids d1, d2 … after the highest id in ``existing``; mentions without a
    balance are left out (ask the user for it)."""
    known = [m for m in mentions if m.balance is not None]
    first = _next_number(existing)
    return [debt_from_mention(m, f"d{first + i}") for i, m in enumerate(known)]


def _next_number(debts: Sequence[Debt]) -> int:
    numbers = [int(d.id[1:]) for d in debts if re.fullmatch(r"d\d+", d.id)]
    return max(numbers, default=0) + 1


def apply_edit(debts: Sequence[Debt], edit: DebtEdit) -> list[Debt]:
    """The list after ``edit``: removed ones go, corrected ones change in place, added
    ones (with a known balance) come last with new ids. Ids never change or come back."""
    corrected = {debt.id: debt for debt in edit.corrected}
    kept = [corrected.get(d.id, d) for d in debts if d.id not in edit.removed]
    return kept + debts_from_mentions(edit.added, debts)


def read_edit(text: str, debts: Sequence[Debt]) -> DebtEdit | None:
    """What ``text`` changes on ``debts``; None when it changes nothing."""
    reading = _read(text, edits=True)
    removed, unknown = _removals(reading, debts)
    corrected: dict[str, Debt] = {}
    added: list[DebtMention] = []
    for draft in reading.drafts:
        targets = [] if _adds(reading, draft) else _targets(draft, debts)
        if not targets and draft.mention is not None and draft.mention.ordinal is not None:
            unknown.append(draft.mention.label)
        elif not targets:
            added.append(_as_mention(draft))
        for debt in targets:
            if debt.id not in removed:
                base = corrected.get(debt.id, debt)
                corrected[debt.id] = _corrected(base, _as_mention(draft))
    for debt in _loose_targets(reading, debts):
        if debt.id not in removed:
            base = corrected.get(debt.id, debt)
            corrected[debt.id] = _with_facts(base, reading.loose)
    changed = tuple(d for d in corrected.values() if d not in debts)
    edit = DebtEdit(tuple(added), tuple(removed), changed, tuple(unknown))
    return edit if edit != DebtEdit() else None


def _removals(reading: _Reading, debts: Sequence[Debt]) -> tuple[list[str], list[str]]:
    removed: list[str] = []
    unknown: list[str] = []
    for mention in reading.mentions:
        if not mention.dropped:
            continue
        targets = _matching(mention, debts)
        if targets:
            removed += [d.id for d in targets[:1] if d.id not in removed]
        elif not reading.drafts or mention.ordinal is not None:
            unknown.append(mention.label)
    return removed, unknown


def _adds(reading: _Reading, draft: _Draft) -> bool:
    """还有一笔/还有一张 before the debt: a new one even if the lender is listed."""
    sentence = reading.text.sentence(draft.first)
    return bool(_cues().add_strong.search(reading.text.plain, sentence, draft.first + 1))


def _targets(draft: _Draft, debts: Sequence[Debt]) -> list[Debt]:
    if draft.mention is None:
        return []
    return _matching(draft.mention, debts, every=draft.facts.every)


def _matching(mention: _Mention, debts: Sequence[Debt], every: bool = False) -> list[Debt]:
    """The debts a name stands for: 建行 ≈ 建设银行 ≈ 建设 (see the module docstring)."""
    if mention.ordinal == -1:
        return list(debts[-1:])
    if mention.ordinal is not None:
        return [debts[mention.ordinal - 1]] if 0 < mention.ordinal <= len(debts) else []
    same_label = [d for d in debts if normalise(d.label) == mention.label]
    if same_label and not every:
        return same_label[:1]
    entry = mention.entry
    same = [
        d for d in debts if entry.canonical and _lender_of(d.label).canonical == entry.canonical
    ]
    typed = [d for d in same if not entry.explicit or d.lender_type == entry.lender_type]
    if typed:
        return typed if every else typed[:1]
    if not (entry.generic or entry.secured):
        return []
    types = _lexicon().refers_to.get(entry.lender_type, (entry.lender_type,))
    fitting = [d for d in debts if d.lender_type in types and (d.secured or not entry.secured)]
    return fitting if every or len(fitting) == 1 else []


@cache
def _lender_of(label: str) -> _Entry:
    """The lexicon's reading of a debt's label (招商 → 招商银行)."""
    lexicon = _lexicon()
    match = lexicon.pattern.search(normalise(label))
    return _mention(match, lexicon).entry if match else _Entry("", OTHER)


def _loose_targets(reading: _Reading, debts: Sequence[Debt]) -> list[Debt]:
    """逾期4个月了 with no lender: the only debt, or every debt after 都."""
    if reading.loose == _Facts() or reading.drafts:
        return []
    if reading.loose.every:
        return list(debts)
    return list(debts) if len(debts) == 1 else []


def _corrected(debt: Debt, mention: DebtMention) -> Debt:
    changes: dict[str, Any] = {}
    if mention.balance is not None:
        changes["balance"] = mention.balance
    if mention.required_monthly is not None:
        changes["required_monthly"] = mention.required_monthly
    if mention.claimed_total is not None:
        changes["claimed_total"] = mention.claimed_total
    facts = _Facts(mention.months_overdue, mention.monthly_rate, mention.judgment, mention.secured)
    return _with_facts(replace(debt, **changes), facts)


def _with_facts(debt: Debt, facts: _Facts) -> Debt:
    return replace(
        debt,
        months_overdue=(
            facts.months_overdue if facts.months_overdue is not None else debt.months_overdue
        ),
        monthly_rate=facts.monthly_rate if facts.monthly_rate is not None else debt.monthly_rate,
        judgment=debt.judgment or facts.judgment,
        secured=debt.secured or facts.secured,
    )


# --- What the form shows back ------------------------------------------------------------


def debts_understood(debts: Sequence[Debt]) -> str:
    """The short list shown back, with the total and how to correct it."""
    texts = _cues().data["understood"]
    if not debts:
        return str(texts["none"])
    items = str(texts["separator"]).join(_item(i, d) for i, d in enumerate(debts))
    opening = str(texts["opening"]).format(
        count=len(debts), items=items, total=sum(d.balance for d in debts)
    )
    return opening + _hint(debts)


def _item(index: int, debt: Debt) -> str:
    texts = _cues().data["understood"]
    marks = [str(mark) for mark in texts["marks"]]
    mark = (
        marks[index] if index < len(marks) else str(texts["mark_beyond"]).format(number=index + 1)
    )
    type_name = _lexicon().type_names.get(debt.lender_type, debt.lender_type)
    plain = not debt.label or debt.label == type_name
    name = type_name if plain else str(texts["name"]).format(label=debt.label, type=type_name)
    return str(texts["item"]).format(
        mark=mark, name=name, balance=debt.balance, details=_details_of(debt)
    )


def _details_of(debt: Debt) -> str:
    texts = _cues().data["understood"]
    parts = []
    if debt.months_overdue:
        parts.append(str(texts["overdue"]).format(months=debt.months_overdue))
    if debt.monthly_rate is not None:
        parts.append(str(texts["rate"]).format(rate=f"{debt.monthly_rate * 100:.4g}"))
    if debt.judgment:
        parts.append(str(texts["judgment"]))
    if debt.secured:
        parts.append(str(texts["secured"]))
    if not parts:
        return ""
    return str(texts["details"]).format(details=str(texts["details_separator"]).join(parts))


def _hint(debts: Sequence[Debt]) -> str:
    texts = _cues().data["understood"]
    first, last = debts[0], debts[-1]
    amounts = [str(amount) for amount in texts["hint_amounts"]]
    amount = amounts[1] if parse_number(amounts[0]) == first.balance else amounts[0]
    return str(texts["hint"]).format(
        remove=_name_for_hint(last, len(debts)), fix=_name_for_hint(first, 1), amount=amount
    )


def _name_for_hint(debt: Debt, number: int) -> str:
    if debt.label:
        return debt.label
    return str(_cues().data["understood"]["by_number"]).format(number=number)


__all__ = [
    "Budget",
    "DebtEdit",
    "DebtMention",
    "apply_edit",
    "debt_from_mention",
    "debts_from_mentions",
    "debts_understood",
    "read_budget",
    "read_debts",
    "read_edit",
]
