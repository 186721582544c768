"""Finds the figures of a debt situation in one chat message.

"我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千" gives balance 48000,
lender_type credit_card, months_overdue 3, monthly_income 12000, monthly_expenses 7000.
Every figure keeps its character span so it can be handed to Rasa as an entity.

How a number gets its kind:

1. Cue words just before it decide (欠 → balance, 收入 → monthly_income, 房租 →
   monthly_expenses, 存款 → lump_sum, 逾期 … 个月 → months_overdue). Only the clause the
   number stands in counts (clauses end at ，,。；;、！？ and at 还有/另外), and for amounts
   only the words since the previous number, so "收入8000每月能存2000" does not make 2000
   an income. The nearest cue wins. Words of paying (能还, 月供, 还款) mean "no slot".
2. Without a cue before it, a cue straight after it (2万存款, 三个月没还).
3. Without any cue, an amount joined to the previous one by 、/和/加/还有 ("房租2000加
   1500") or following a correction (不对/应该是) takes the previous amount's kind.
4. Otherwise it is a plain ``amount`` or ``duration``, for the form to place.

Totals and parts: expense parts next to each other are added up (房租2000加生活费1500 →
3500), as are amounts joined by rule 3; a total word (一共/合计/加起来) replaces the parts;
amounts after 其中/包括 are a breakdown and are dropped; a correction word starts afresh.
Balances are not added otherwise: in "借了2万还剩1万" the later figure is the balance.

When a kind occurs more than once the later figure usually corrects or refines the
earlier one; ``last_of_each_kind`` keeps those. Lender names are masked before cue words
are looked for (花呗 is not 花 "spend"), and a lender name itself counts as a balance cue.
"""

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from actions.money import AMOUNT, DURATION, NumberMatch, find_numbers

BALANCE = "balance"
MONTHLY_INCOME = "monthly_income"
MONTHLY_EXPENSES = "monthly_expenses"
LUMP_SUM = "lump_sum"
MONTHS_OVERDUE = "months_overdue"
LENDER_TYPE = "lender_type"

_MONEY_KINDS = (BALANCE, MONTHLY_INCOME, MONTHLY_EXPENSES, LUMP_SUM)
_PAYMENT = "payment"  # cue meaning "an amount to pay", which fills no slot
_TOTAL = "total"  # cue meaning "the sum of what came before"


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


def _alternatives(spaced: str) -> str:
    """A regex alternation of the words, longest first so 京东白条 wins over 白条."""
    return "|".join(sorted(_words(spaced), key=len, reverse=True))


AMOUNT_CUES: dict[str, tuple[str, ...]] = {
    BALANCE: _words(
        """
        欠款 欠债 还欠 欠了 欠 借了 借款 借 还剩 剩下 剩余 本金 负债 债务
        总额 逾期金额 逾期 贷了 贷款
        """
    ),
    _TOTAL: _words("总共 一共 合计 加起来 总计 共计"),
    MONTHLY_INCOME: _words("月收入 收入 工资 到手 月薪 薪水 薪资 底薪 挣 赚 月入 进账"),
    MONTHLY_EXPENSES: _words(
        """
        开销 花销 支出 花费 房租 租金 生活费 开支 花 水电 伙食 吃饭 吃喝 交通
        话费 物业 学费 医药费 赡养 养老 奶粉 日常 用掉 花掉 给家里 家用 养家 保险
        """
    ),
    LUMP_SUM: _words(
        """
        存款 积蓄 存了 存着 储蓄 一次拿出 一次性 手头 手上 手里 拿出 拿得出
        凑出 凑到 凑得出 凑 存有 余钱 闲钱 备用金 卡里 卡上 余额
        """
    ),
    _PAYMENT: _words(
        """
        能还 可以还 每月还 每个月还 月还 还款 月供 还得起 还得了 付得起 能付
        能出 最低还 想还 打算还 准备还 愿意还 先还 还了
        """
    ),
}

DURATION_CUES: dict[str, tuple[str, ...]] = {
    MONTHS_OVERDUE: _words(
        """
        逾期 拖了 拖欠 拖 晚了 欠了 欠 没还 未还 断供 停还 停供 延期 超期
        没有还 没交
        """
    ),
    DURATION: _words("分期 分成 分 还清 还完 打算 计划 借了 借 工作了 以内 之内 需要 要"),
}

_AMOUNT_AFTER_WORDS = "|".join(
    _words(
        """
        存款 积蓄 欠款 债务 贷款 工资 收入 薪水 月薪 房租 生活费 开销 开支 花销 支出
        """
    )
)
_AMOUNT_AFTER = re.compile(rf"\s?(?:的|左右|上下|多)*\s?(?P<word>{_AMOUNT_AFTER_WORDS})")
_AMOUNT_AFTER_KINDS = {word: kind for kind in _MONEY_KINDS for word in AMOUNT_CUES[kind]}
_OVERDUE_WORDS = "没有还|没还|未还|没交|逾期|拖|没|未"
_OVERDUE_AFTER = re.compile(rf"(?:了|都|已经|一直|还|多)*\s?(?:{_OVERDUE_WORDS})")

_BANK_ALONE = _alternatives(
    """
    招商银行 建设银行 工商银行 中国银行 交通银行 农业银行 招行 建行 工行 中行 交行 农行
    """
)
_BANKS = _BANK_ALONE + "|" + _alternatives("邮政储蓄 浦发 广发 中信 兴业 平安 光大 民生 华夏 邮储")
_ONLINE_LENDERS = _alternatives(
    """
    网贷平台 借贷平台 贷款平台 网络借贷平台 花呗 借呗 微粒贷 京东白条 京东金条 白条 网贷
    网络贷款 分期乐 度小满 有钱花 网商贷 安逸花 招联 拍拍贷 360借条 你我贷 小额贷
    美团月付 美团借钱
    """
)
_PRIVATE_LENDERS = _alternatives("民间借贷 私人借款 私人借贷 高利贷 借条")
_PEOPLE = "朋友|亲戚|同事|家人|熟人"
_NOT_A_CREDIT_CARD = "资蓄记保交饭员行份话机值物"
_NOT_MEITUAN_LENDING = "外卖|骑手|众包|优选|买菜|上班|工作|送"
LENDER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("bank_loan", rf"(?:(?:{_BANKS})(?:银行)?的?)?(?:房贷|车贷|消费贷|经营贷|抵押贷)"),
    ("bank_loan", rf"银行贷款|(?:{_BANKS})(?:银行)?的?贷款"),
    ("credit_card", rf"(?:(?:{_BANKS})(?:银行)?的?)?信用卡"),
    ("credit_card", rf"(?:{_BANKS})(?:银行)?的?卡"),
    ("credit_card", rf"(?<![{_NOT_A_CREDIT_CARD}])卡(?![里上住顿片号])"),
    ("credit_card", _BANK_ALONE),
    ("online_lender", _ONLINE_LENDERS),
    ("online_lender", rf"(?<!在)美团(?!{_NOT_MEITUAN_LENDING})|(?<!投诉)(?<!举报)平台"),
    ("other", _PRIVATE_LENDERS),
    ("other", rf"(?:欠了?|借了?)(?:{_PEOPLE})的?|(?:向|跟|找|问)(?:{_PEOPLE})借"),
)


def _named_alternatives(patterns: Sequence[tuple[str, str]]) -> re.Pattern[str]:
    """One regex; each alternative is a group named ``<code>_<index>``."""
    return re.compile(
        "|".join(f"(?P<{code}_{index}>{pattern})" for index, (code, pattern) in enumerate(patterns))
    )


_LENDER = _named_alternatives(LENDER_PATTERNS)

ZERO_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        LUMP_SUM,
        (
            r"没有?(?:什么|任何)?(?:存款|积蓄|储蓄|余钱|闲钱)"
            r"|(?:存款|积蓄|储蓄)(?:为|是)?(?:零|0)(?:元|块)?"
            r"|(?:存款|积蓄|储蓄)都?没有?了?"
            r"|一分钱?(?:都|也)拿不出来?"
            r"|手(?:头|上|里)上?(?:一分钱都)?没有?(?:钱|余钱|存款)"
        ),
    ),
    (
        MONTHLY_INCOME,
        r"没有?(?:任何)?收入(?!证明)|收入(?:为|是)?(?:零|0)(?:元|块)?|零收入",
    ),
)
_ZERO = _named_alternatives(ZERO_PATTERNS)

_CLAUSE_END = re.compile(r"[，,。；;、！!？?\n]|还有|另外")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_JOINERS = re.compile(r"(?:[\s、和加跟与及+＋]|以及|还有|另外|加上|再加上|元|块|钱)*")
_CORRECTION = re.compile(r"不对|不是|错了|说错|应该是|其实是|更正|改成|改一下|纠正")
_BREAKDOWN = re.compile(r"其中|包括|包含")
_MASK = "\u0000"
_ONE_MONTH = frozenset({"一个月", "1个月"})
_PER_MONTH = re.compile(r"每月|每个月|月供|每期")
_PAYING_VERBS = frozenset("还交付")


@dataclass(frozen=True)
class Figure:
    """A figure found in a message: its kind, value and character span."""

    kind: str
    value: float | str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Found:
    """A number figure on its way out, with how its kind was decided."""

    figure: Figure
    inherited: bool = False
    total: bool = False


@dataclass(frozen=True)
class _Message:
    """The message with the spans of lender names, zero phrases and numbers masked."""

    text: str
    masked: str
    lender_spans: tuple[tuple[int, int], ...]  # lender names act as balance cues
    break_starts: tuple[int, ...]  # where each clause break (，。、还有 …) starts
    break_ends: tuple[int, ...]  # and where it ends, i.e. where a clause begins
    sentence_starts: tuple[int, ...]

    def clause_start(self, position: int) -> int:
        """Where the clause holding ``position`` begins."""
        index = bisect.bisect_right(self.break_ends, position)
        return self.break_ends[index - 1] if index else 0

    def clause_end(self, position: int) -> int:
        index = bisect.bisect_left(self.break_starts, position)
        return self.break_starts[index] if index < len(self.break_starts) else len(self.masked)

    def sentence_start(self, position: int) -> int:
        index = bisect.bisect_right(self.sentence_starts, position)
        return self.sentence_starts[index - 1] if index else 0


def extract_figures(text: str) -> list[Figure]:
    """All figures in ``text``, in the order they appear."""
    lenders = _find_lenders(text)
    zeros = _find_zeros(text)
    taken = [(figure.start, figure.end) for figure in lenders + zeros]
    numbers = [match for match in find_numbers(text) if not _overlaps(match, taken)]
    message = _mask(text, lenders, zeros, numbers)
    numbers = [n for n in numbers if not _is_per_month_marker(message, n, numbers)]
    found = _classify(message, numbers, zeros)
    merged = [item.figure for item in _merge_parts(message, found)]
    return sorted(lenders + merged, key=lambda figure: figure.start)


def last_of_each_kind(figures: Iterable[Figure]) -> list[Figure]:
    """One figure per kind, the last one said (it corrects or refines earlier ones)."""
    latest: dict[str, Figure] = {}
    for figure in figures:
        latest[figure.kind] = figure
    return sorted(latest.values(), key=lambda figure: figure.start)


def _find_lenders(text: str) -> list[Figure]:
    return [
        Figure(LENDER_TYPE, _group_code(match), match.start(), match.end(), match.group())
        for match in _LENDER.finditer(text)
    ]


def _find_zeros(text: str) -> list[Figure]:
    return [
        Figure(_group_code(match), 0.0, match.start(), match.end(), match.group())
        for match in _ZERO.finditer(text)
    ]


def _group_code(match: re.Match[str]) -> str:
    """The code of the named alternative that matched: ``online_lender_6`` → online_lender."""
    return (match.lastgroup or "").rsplit("_", 1)[0]


def _overlaps(match: NumberMatch, spans: Sequence[tuple[int, int]]) -> bool:
    return any(match.start < end and start < match.end for start, end in spans)


def _mask(
    text: str,
    lenders: Sequence[Figure],
    zeros: Sequence[Figure],
    numbers: Sequence[NumberMatch],
) -> _Message:
    chars = list(text)
    for item in [*lenders, *zeros, *numbers]:
        chars[item.start : item.end] = _MASK * (item.end - item.start)
    masked = "".join(chars)
    breaks = list(_CLAUSE_END.finditer(masked))
    return _Message(
        text=text,
        masked=masked,
        lender_spans=tuple((lender.start, lender.end) for lender in lenders),
        break_starts=tuple(m.start() for m in breaks),
        break_ends=tuple(m.end() for m in breaks),
        sentence_starts=tuple(m.end() for m in _SENTENCE_END.finditer(masked)),
    )


def _classify(
    message: _Message, numbers: Sequence[NumberMatch], zeros: Sequence[Figure]
) -> list[_Found]:
    """Give every number a kind, in text order; zero phrases keep theirs."""
    found: list[_Found] = []
    items: list[Figure | NumberMatch] = [*zeros, *numbers]
    for item in sorted(items, key=lambda item: item.start):
        previous = found[-1] if found else None
        if isinstance(item, Figure):
            found.append(_Found(item))
        elif item.kind == DURATION:
            found.append(_Found(_as_figure(item, _duration_kind(message, item))))
        else:
            found.append(_classify_amount(message, item, previous, found))
    return found


def _is_per_month_marker(
    message: _Message, number: NumberMatch, numbers: Sequence[NumberMatch]
) -> bool:
    """一个月 next to an amount means "per month" (工资一个月8000), not a duration."""
    if number.kind != DURATION or number.text.strip() not in _ONE_MONTH:
        return False
    if _duration_kind(message, number) != DURATION:
        return False
    start, end = message.clause_start(number.start), message.clause_end(number.end)
    return any(other.kind == AMOUNT and start <= other.start < end for other in numbers)


def _as_figure(number: NumberMatch, kind: str) -> Figure:
    return Figure(kind, number.value, number.start, number.end, number.text)


def _duration_kind(message: _Message, number: NumberMatch) -> str:
    start = message.clause_start(number.start)
    cue = _nearest_cue(message.masked, start, number.start, _DURATION_TABLE)
    if cue is not None:
        return cue[0]
    if _OVERDUE_AFTER.match(message.masked, number.end):
        return MONTHS_OVERDUE
    return DURATION


def _classify_amount(
    message: _Message,
    number: NumberMatch,
    previous: _Found | None,
    before: Sequence[_Found],
) -> _Found:
    window_start = message.clause_start(number.start)
    if previous is not None:
        window_start = max(window_start, previous.figure.end)
    cue = _amount_cue(message, window_start, number.start)
    if cue in (BALANCE, LUMP_SUM) and _PER_MONTH.search(message.masked, window_start, number.start):
        cue = _PAYMENT  # a monthly sum is neither a balance nor savings
    if cue == _TOTAL:
        kind = _kind_before_total(message, number, before)
        return _Found(_as_figure(number, kind), total=True)
    if cue is not None:
        return _Found(_as_figure(number, AMOUNT if cue == _PAYMENT else cue))
    after = _AMOUNT_AFTER.match(message.masked, number.end)
    if after is not None:
        return _Found(_as_figure(number, _AMOUNT_AFTER_KINDS[after.group("word")]))
    if previous is not None and _continues(message.text, previous.figure, number):
        return _Found(_as_figure(number, previous.figure.kind), inherited=True)
    return _Found(_as_figure(number, AMOUNT))


def _amount_cue(message: _Message, start: int, end: int) -> str | None:
    """The nearest cue word or lender name (a lender names a debt: a balance)."""
    cue = _nearest_cue(message.masked, start, end, _AMOUNT_TABLE)
    lender = max(
        (span for span in message.lender_spans if start < span[1] <= end),
        default=None,
    )
    if lender is not None and (cue is None or lender[1] > cue[1]):
        paying = message.masked[lender[0] - 1 : lender[0]] in _PAYING_VERBS
        return _PAYMENT if paying else BALANCE
    return cue[0] if cue else None


def _continues(text: str, previous: Figure, number: NumberMatch) -> bool:
    """Whether an amount without a cue carries on from the previous amount."""
    if previous.kind not in _MONEY_KINDS:
        return False
    between = text[previous.end : number.start]
    return bool(_JOINERS.fullmatch(between) or _CORRECTION.search(between))


def _kind_before_total(message: _Message, number: NumberMatch, before: Sequence[_Found]) -> str:
    """一共/合计 sums what came before in the sentence; alone it means the balance."""
    sentence_start = message.sentence_start(number.start)
    earlier = [
        item.figure.kind
        for item in before
        if item.figure.start >= sentence_start and item.figure.kind in _MONEY_KINDS
    ]
    return earlier[-1] if earlier else BALANCE


@dataclass(frozen=True)
class _CueTable:
    """Cue words by the kind they signal, and one regex finding any of them."""

    kinds: dict[str, str]
    pattern: re.Pattern[str]


def _cue_table(cues: dict[str, tuple[str, ...]]) -> _CueTable:
    kinds = {word: kind for kind, words in cues.items() for word in words}
    longest_first = sorted(kinds, key=len, reverse=True)
    return _CueTable(kinds, re.compile("|".join(map(re.escape, longest_first))))


_AMOUNT_TABLE = _cue_table(AMOUNT_CUES)
_DURATION_TABLE = _cue_table(DURATION_CUES)


def _nearest_cue(masked: str, start: int, end: int, table: _CueTable) -> tuple[str, int] | None:
    """The kind signalled by the last cue word in ``masked[start:end]``, and its end."""
    matches = list(table.pattern.finditer(masked, start, end))
    if not matches:
        return None
    return table.kinds[matches[-1].group()], matches[-1].end()


def _merge_parts(message: _Message, found: Sequence[_Found]) -> list[_Found]:
    """Add up parts, let totals replace them, drop breakdowns (see module docstring)."""
    merged: list[_Found] = []
    for item in found:
        previous = merged[-1] if merged else None
        action = _merge_action(message.text, previous, item)
        if action == "sum" and previous is not None:
            merged[-1] = _summed(message.text, previous, item)
        elif action == "replace":
            merged[-1] = item
        elif action != "drop":
            merged.append(item)
    return merged


def _merge_action(text: str, previous: _Found | None, item: _Found) -> str:
    if previous is None or previous.figure.kind != item.figure.kind:
        return "keep"
    if item.figure.kind not in _MONEY_KINDS:
        return "keep"
    between = text[previous.figure.end : item.figure.start]
    if _CORRECTION.search(between):
        return "keep"
    if _BREAKDOWN.search(between):
        return "drop"
    if item.total:
        return "replace"
    if item.inherited or item.figure.kind == MONTHLY_EXPENSES:
        return "sum"
    return "keep"


def _summed(text: str, first: _Found, second: _Found) -> _Found:
    start, end = first.figure.start, second.figure.end
    value = float(first.figure.value) + float(second.figure.value)
    figure = replace(first.figure, value=value, end=end, text=text[start:end])
    return _Found(figure)


__all__ = [
    "AMOUNT_CUES",
    "BALANCE",
    "DURATION_CUES",
    "LENDER_PATTERNS",
    "LENDER_TYPE",
    "LUMP_SUM",
    "MONTHLY_EXPENSES",
    "MONTHLY_INCOME",
    "MONTHS_OVERDUE",
    "ZERO_PATTERNS",
    "Figure",
    "extract_figures",
    "last_of_each_kind",
]
