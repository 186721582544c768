"""Finds the figures of a debt situation in one chat message.

"我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千" gives balance 48000,
lender_type credit_card, months_overdue 3, monthly_income 12000, monthly_expenses 7000.
Every figure keeps its character span so it can be handed to Rasa as an entity.
Traditional characters and full-width digits are read as simplified ones and ASCII
(``money.normalise``, one character for one), so spans and labels still point at the text
as the user typed it.

How a number gets its kind:

1. Cue words just before it decide (欠 → balance, 收入 → monthly_income, 房租 →
   monthly_expenses, 存款 → lump_sum, 逾期 … 个月 → months_overdue). Only the clause the
   number stands in counts (clauses end at ，,。；;、！？ and at 还有/另外), and for amounts
   only the words since the previous number, so "收入8000每月能存2000" does not make 2000
   an income. The nearest cue wins. Words of paying (能还, 月供, 还款), and a balance or
   savings cue said per month (一个月只能拿出3000), mean "no slot": a plain ``amount``.
2. Without a cue before it, a cue straight after it (2万存款, 三个月没还, 3万网贷).
3. Without any cue, an amount joined to the previous one by 、/和/加/还有/另外 ("房租2000加
   1500"), following a correction (不对/应该是), or following a figure denied with 不是
   ("不是六千，是八千") takes the previous amount's kind.
4. Otherwise it is a plain ``amount`` or ``duration``, for the form to place.

What is not a slot figure (nor a plain amount or duration, which the form would place):

- Discounts and percentages (打5折, 八五折, 减免30%, 百分之二十) give no figure at all.
- Money a lender paid out is ``received``: 到账, 放款, 下款, 实际拿到, and 到手 near a loan
  (借, 贷, 砍头息 or a lender in its clause or the clause before). With a salary word or
  "per month" before it in its clause (工资到手5000, 每月到手六千) it is monthly_income.
- Time without work, wages or health is ``hardship_duration``: 失业半年, 病了三个月,
  三个月没工作, 两个月没发工资, 公司欠了我三个月工资, 欠了三个月房租. After a duration only
  words of not paying (没还, 未还, 没交, 逾期, 拖, 断供) make it months_overdue; a bare 没
  does not.

Neither kind is in ``ENTITY_KINDS``, the kinds the domain declares as entities.

Totals, parts and corrections:

- Expense parts next to each other are added up (房租2000加生活费1500 → 3500), as are
  amounts joined by rule 3.
- Balances naming different lenders are separate debts: they make one balance, their sum,
  listing them in ``Figure.parts`` as (lender as written, value). "招行2w 建行1.5w 借呗3w"
  → 65000 with parts 招行, 建行, 借呗; they need not stand next to each other. A balance
  without a lender name is added to them only when joined by 还有/另外/和/、. Otherwise the
  later balance of the same debt refines the earlier one: in "借了2万还剩1万" it is 1万.
- A total word (一共/总共/合计/加起来, also in 总共欠) stands and replaces the parts; it keeps
  them only when they add up to it. Amounts after 其中/包括, and debts listed after a total,
  are a breakdown and are dropped.
- A correction word (不对/错了/说错/应该是/不是) starts afresh: the corrected figure comes
  after the old one, which ``last_of_each_kind`` thus drops. A correction naming one part of
  a sum (不对，建行是1.5万) replaces that part. A figure said right after 不是 ("收入是八千
  不是六千") is the wrong one and is left out.

When a kind occurs more than once the later figure usually corrects or refines the
earlier one; ``last_of_each_kind`` keeps those. Lender names are masked before cue words
are looked for (花呗 is not 花 "spend"), and a lender name itself counts as a balance cue.
"""

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from coach.figures.money import AMOUNT, DURATION, NumberMatch, find_numbers, normalise

BALANCE = "balance"
MONTHLY_INCOME = "monthly_income"
MONTHLY_EXPENSES = "monthly_expenses"
LUMP_SUM = "lump_sum"
MONTHS_OVERDUE = "months_overdue"
LENDER_TYPE = "lender_type"
RECEIVED = "received"  # money a lender paid out (到账, 放款): fills no slot
HARDSHIP_DURATION = "hardship_duration"  # months without work, wages or health: no slot
# What the lender says is owed with interest and fees (连本带息要五万): kept beside the
# principal of the same debt, never a second debt and no slot of its own.
CLAIMED_TOTAL = "claimed_total"

# The kinds the domain declares as entities; the others are for the actions alone.
ENTITY_KINDS = frozenset(
    {BALANCE, MONTHLY_INCOME, MONTHLY_EXPENSES, LUMP_SUM, MONTHS_OVERDUE, LENDER_TYPE}
    | {AMOUNT, DURATION}
)

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
    CLAIMED_TOTAL: _words("连本带息 本息合计 本息一共 本息共 本息 利滚利 加上利息 算上利息 连利息 加利息"),
    MONTHLY_INCOME: _words("月收入 收入 工资 月薪 薪水 薪资 底薪 挣 赚 月入 进账"),
    RECEIVED: _words(
        """
        到账 实际到账 放款 下款 打款 放贷 实际拿到 拿到手 实际到手 到手 实际给了 只给了
        """
    ),
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
    HARDSHIP_DURATION: _words(
        """
        失业 待业 下岗 没工作 没有工作 没了工作 丢了工作 丢工作 没上班 没有上班 被裁 裁员
        离职 辞职 停工 停业 生病 病了 住院 养病 治病 手术 疫情 坐月子 欠薪 没发工资
        工资没发 拖欠工资 工资拖 工资欠 公司欠 老板欠 单位欠 公司拖 老板拖 单位拖
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
_AMOUNT_AFTER = re.compile(rf"\s?(?:是我?的?|我的)?(?:的|左右|上下|多)*\s?(?P<word>{_AMOUNT_AFTER_WORDS})")
_AMOUNT_AFTER_KINDS = {word: kind for kind in _MONEY_KINDS for word in AMOUNT_CUES[kind]}
_OVERDUE_WORDS = "没有?还|未还|没有?交|没有?缴|没有?付|逾期|拖|断供|停还|停供"
_OVERDUE_AFTER = re.compile(rf"(?:了|都|已经|一直|还|多)*\s?(?:{_OVERDUE_WORDS})")
_WAGES_AFTER = r"(?:了|都|已经|一直|多|的|没有?发?|拖欠)*\s?(?:工资|薪水|薪资|工钱|房租)"
_NO_FIGURE_NEXT = r"(?!\s?的?(?:是|有|才|就|大概|约|只有|差不多|能|拿|都)*\s?[\d零一二两三四五六七八九十])"
_HARDSHIP_AFTER = re.compile(
    rf"{_WAGES_AFTER}{_NO_FIGURE_NEXT}"  # 三个月工资没发, but 一个月工资8000 is per month
    r"|(?:了|都|已经|一直|多)*\s?(?:没有?(?:工作|上班|活干?|班上|收入)|失业|待业|住院|生病|在家)"
)
_SALARY = re.compile(r"工资|薪|收入|月入|上班|打工|兼职|单位|每月|每个月|月到手")
_LOAN = re.compile(r"借|贷|砍头|放款|下款|到账|手续费|服务费|平台")
_UNSURE_RECEIVED = frozenset({"到手", "拿到手"})  # salary too, unless a loan is near

_BANK_ALONE = _alternatives(
    """
    招商银行 建设银行 工商银行 中国银行 交通银行 农业银行 招行 建行 工行 中行 交行 农行
    广发 浦发 中信 兴业 光大 邮储
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
# 欠朋友2万，还有3万: a link word carries the kind over a comma.
_LINKED_CLAUSE = re.compile(r"[，,；;\s]*(?:还有|另外|以及|加上|再加上|外加)(?:[\s、和加跟与及]|元|块|钱)*")
_AFTER_NEGATION = re.compile(r"[，,\s]*(?:而|应该|其实)?是\s*")
_LINK = re.compile(r"还有|另外|以及|加上|外加|还欠|又|[和跟与、加+＋]")
_BREAKDOWN = re.compile(r"其中|包括|包含")
_PERSON_LENDER = re.compile(  # 欠了朋友的 → 朋友
    rf"(?:(?:欠了?|借了?|向|跟|找|问)(?={_PEOPLE}))?(?P<core>.+?)(?:的|借)?"
)
_LENDER_AFTER = re.compile(r"\s?的?\s?")
_STILL_OWED_AFTER = re.compile(r"\s?(?:没有?还|未还|还没还|没结清)")
_MASK = "\u0000"
_ONE_MONTH = frozenset({"一个月", "1个月"})
_PER_MONTH = re.compile(r"每月|每个月|月供|每期")
_PAYING_VERBS = frozenset("还交付")


@dataclass(frozen=True)
class Figure:
    """A figure found in a message: its kind, value and character span.

    A summed figure lists what it adds up in ``parts``, in order, as (label as the user
    wrote it, value): the separate debts of a balance (("招行", 20000.0), ("借呗", 30000.0))
    or the items of the expenses (("房租", 2000.0), ("生活费", 1500.0)); "" when unnamed.
    """

    kind: str
    value: float | str
    start: int
    end: int
    text: str
    parts: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class _Found:
    """A number figure on its way out, with how its kind was decided."""

    figure: Figure
    inherited: bool = False
    total: bool = False
    label: str = ""  # the lender of a balance, or the cue word of another kind
    negated: bool = False  # said after 不是: the wrong figure, left out


@dataclass(frozen=True)
class _Cue:
    """A cue word or lender name found before a number, and the kind it signals."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class _Message:
    """The message with the spans of lender names, zero phrases and numbers masked."""

    text: str  # as given: figure texts and labels are cut from it
    plain: str  # normalised (繁→简, full-width → ASCII), one character for one
    masked: str
    lender_spans: tuple[tuple[int, int], ...]  # lender names act as balance cues
    break_starts: tuple[int, ...]  # where each clause break (，。、还有 …) starts
    break_ends: tuple[int, ...]  # and where it ends, i.e. where a clause begins
    sentence_starts: tuple[int, ...]
    amount_starts: tuple[int, ...] = ()
    per_month_starts: tuple[int, ...] = ()  # where a 一个月 meaning "per month" starts

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

    def lenders_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """Lender names ending inside (start, end]."""
        return [span for span in self.lender_spans if start < span[1] <= end]


def extract_figures(text: str) -> list[Figure]:
    """All figures in ``text``, in the order they appear."""
    plain = normalise(text)
    lenders = _find_lenders(text, plain)
    zeros = _find_zeros(text, plain)
    taken = [(figure.start, figure.end) for figure in lenders + zeros]
    numbers = [match for match in find_numbers(text) if not _overlaps(match, taken)]
    message = _mask(text, plain, lenders, zeros, numbers)
    markers = [n for n in numbers if _is_per_month_marker(message, n, numbers)]
    message = replace(message, per_month_starts=tuple(marker.start for marker in markers))
    numbers = [n for n in numbers if n not in markers]
    found = _classify(message, numbers, zeros)
    merged = [item.figure for item in _merge_parts(message, found)]
    return sorted(lenders + merged, key=lambda figure: figure.start)


def last_of_each_kind(figures: Iterable[Figure]) -> list[Figure]:
    """One figure per kind, the last one said (it corrects or refines earlier ones)."""
    latest: dict[str, Figure] = {}
    for figure in figures:
        latest[figure.kind] = figure
    return sorted(latest.values(), key=lambda figure: figure.start)


def _find_lenders(text: str, plain: str) -> list[Figure]:
    matches = _LENDER.finditer(plain)
    return [_figure_at(text, match, LENDER_TYPE, _group_code(match)) for match in matches]


def _find_zeros(text: str, plain: str) -> list[Figure]:
    return [_figure_at(text, match, _group_code(match), 0.0) for match in _ZERO.finditer(plain)]


def _figure_at(text: str, match: re.Match[str], kind: str, value: float | str) -> Figure:
    """A figure for a match in the normalised text, with the words as the user typed them."""
    start, end = match.span()
    return Figure(kind, value, start, end, text[start:end])


def _group_code(match: re.Match[str]) -> str:
    """The code of the named alternative that matched: ``online_lender_6`` → online_lender."""
    return (match.lastgroup or "").rsplit("_", 1)[0]


def _overlaps(match: NumberMatch, spans: Sequence[tuple[int, int]]) -> bool:
    return any(match.start < end and start < match.end for start, end in spans)


def _mask(
    text: str,
    plain: str,
    lenders: Sequence[Figure],
    zeros: Sequence[Figure],
    numbers: Sequence[NumberMatch],
) -> _Message:
    chars = list(plain)
    found: list[Figure | NumberMatch] = [*lenders, *zeros, *numbers]
    for item in found:
        chars[item.start : item.end] = _MASK * (item.end - item.start)
    masked = "".join(chars)
    breaks = list(_CLAUSE_END.finditer(masked))
    return _Message(
        text=text,
        plain=plain,
        masked=masked,
        lender_spans=tuple((lender.start, lender.end) for lender in lenders),
        break_starts=tuple(m.start() for m in breaks),
        break_ends=tuple(m.end() for m in breaks),
        sentence_starts=tuple(m.end() for m in _SENTENCE_END.finditer(masked)),
        amount_starts=tuple(number.start for number in numbers if number.kind == AMOUNT),
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
    """Words after it win (三个月没工作, 三个月没还); then the nearest cue before it."""
    if _HARDSHIP_AFTER.match(message.plain, number.end):
        return HARDSHIP_DURATION
    if _OVERDUE_AFTER.match(message.masked, number.end):
        return MONTHS_OVERDUE  # 失业后三个月没还: not paying, whatever the reason
    start = message.clause_start(number.start)
    cue = _nearest_cue(message.masked, start, number.start, _DURATION_TABLE)
    return cue.kind if cue is not None else DURATION


def _classify_amount(
    message: _Message,
    number: NumberMatch,
    previous: _Found | None,
    before: Sequence[_Found],
) -> _Found:
    window = message.clause_start(number.start)
    if previous is not None:
        window = max(window, previous.figure.end)
    found = _cued_amount(message, number, window, before)
    if found is None:
        found = _uncued_amount(message, number, previous)
    if _NEGATED.search(message.masked, window, number.start):
        return replace(found, negated=True)
    return found


def _cued_amount(
    message: _Message, number: NumberMatch, window: int, before: Sequence[_Found]
) -> _Found | None:
    """Rule 1: the nearest cue word or lender name before the number decides."""
    cue = _amount_cue(message, window, number.start) or _lender_before_break(message, window)
    if cue is None:
        return None
    if cue.kind == _TOTAL:
        kind = _kind_before_total(message, number, before)
        return _Found(_as_figure(number, kind), total=True)
    kind = _refined_kind(message, cue, window, number)
    label = _label(message, kind, cue, window, number.start)
    total = kind in _MONEY_KINDS and bool(_TOTAL_WORD.search(message.masked, window, cue.start))
    return _Found(_as_figure(number, kind), total=total, label=label)  # 总共欠8万: a total


def _refined_kind(message: _Message, cue: _Cue, window: int, number: NumberMatch) -> str:
    if cue.kind in (BALANCE, LUMP_SUM) and _says_per_month(message, window, number.start):
        return AMOUNT  # a monthly sum is neither a balance nor savings: a payment
    if cue.kind == RECEIVED:
        return _received_or_income(message, cue, number)
    return AMOUNT if cue.kind == _PAYMENT else cue.kind


def _says_per_month(message: _Message, start: int, end: int) -> bool:
    if _PER_MONTH.search(message.masked, start, end):
        return True
    return any(start <= marker < end for marker in message.per_month_starts)


def _received_or_income(message: _Message, cue: _Cue, number: NumberMatch) -> str:
    """工资到手/每月到账 is income; 到账, 放款, or 到手 near a loan is money received."""
    clause = message.clause_start(number.start)
    if _SALARY.search(message.masked, clause, number.start):
        return MONTHLY_INCOME
    if _says_per_month(message, clause, number.start):
        return MONTHLY_INCOME
    word = message.plain[cue.start : cue.end]
    if word in _UNSURE_RECEIVED and not _near_a_loan(message, number):
        return MONTHLY_INCOME
    return RECEIVED


def _near_a_loan(message: _Message, number: NumberMatch) -> bool:
    """A loan word or lender in the number's clause or the clause before it."""
    clause = message.clause_start(number.start)
    start = message.clause_start(clause - 1) if clause else 0
    end = message.clause_end(number.end)
    return bool(_LOAN.search(message.masked, start, end) or message.lenders_in(start, end))


def _lender_before_break(message: _Message, window: int) -> _Cue | None:
    """花呗还有3000: the lender just before the 还有 that opens the number's clause."""
    if message.masked[window - 2 : window] != "还有":
        return None
    lender = next((span for span in message.lender_spans if span[1] == window - 2), None)
    return _Cue(BALANCE, *lender) if lender else None


def _label(message: _Message, kind: str, cue: _Cue, window: int, position: int) -> str:
    """A balance is labelled by its lender (招行); other kinds by their cue word (房租)."""
    if kind != BALANCE:
        return message.text[cue.start : cue.end]
    lenders = message.lenders_in(min(window, cue.start), position)
    return _debt_label(message, lenders[-1]) if lenders else ""


def _debt_label(message: _Message, span: tuple[int, int]) -> str:
    """The lender as written, without the verbs around a person: 欠朋友的 → 朋友."""
    core = _PERSON_LENDER.fullmatch(message.plain, span[0], span[1])
    start, end = core.span("core") if core else span
    return message.text[start:end]


def _uncued_amount(message: _Message, number: NumberMatch, previous: _Found | None) -> _Found:
    """Rules 2 to 4: a cue or lender straight after it, the previous amount, or none."""
    after = _AMOUNT_AFTER.match(message.masked, number.end)
    if after is not None:
        kind = _AMOUNT_AFTER_KINDS[after.group("word")]
        label = "" if kind == BALANCE else message.text[after.start("word") : after.end("word")]
        return _Found(_as_figure(number, kind), label=label)
    lender = _lender_after(message, number)
    if lender is not None:
        return _Found(_as_figure(number, BALANCE), label=_debt_label(message, lender))
    if _STILL_OWED_AFTER.match(message.masked, number.end):
        return _Found(_as_figure(number, BALANCE))  # 还有3万没还: what is left of the debt
    if previous is not None and _continues(message.plain, previous, number):
        return _Found(_as_figure(number, previous.figure.kind), inherited=True)
    return _Found(_as_figure(number, AMOUNT))


def _lender_after(message: _Message, number: NumberMatch) -> tuple[int, int] | None:
    """还有3万网贷: a lender straight after the amount, unless it cues the next one (1w 白条5k)."""
    gap = _LENDER_AFTER.match(message.plain, number.end)
    lender = next((span for span in message.lender_spans if gap and span[0] == gap.end()), None)
    if lender is None:
        return None
    clause_end = message.clause_end(lender[1])
    cues_next = any(lender[1] <= start < clause_end for start in message.amount_starts)
    return None if cues_next else lender


def _amount_cue(message: _Message, start: int, end: int) -> _Cue | None:
    """The nearest cue word or lender name (a lender names a debt: a balance)."""
    cue = _nearest_cue(message.masked, start, end, _AMOUNT_TABLE)
    lender = max(message.lenders_in(start, end), default=None)
    if lender is not None and (cue is None or lender[1] > cue.end):
        paying = message.masked[lender[0] - 1 : lender[0]] in _PAYING_VERBS
        return _Cue(_PAYMENT if paying else BALANCE, *lender)
    return cue


def _continues(text: str, previous: _Found, number: NumberMatch) -> bool:
    """Whether an amount without a cue carries on from the previous amount."""
    if previous.figure.kind not in _MONEY_KINDS:
        return False
    between = text[previous.figure.end : number.start]
    if previous.negated and _AFTER_NEGATION.fullmatch(between):
        return True  # 不是六千，是八千
    joined = _JOINERS.fullmatch(between) or _LINKED_CLAUSE.fullmatch(between)
    return bool(joined or _CORRECTION.search(between))


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
    return _CueTable(kinds, re.compile(_longest_first(kinds)))


def _longest_first(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_AMOUNT_TABLE = _cue_table(AMOUNT_CUES)
_DURATION_TABLE = _cue_table(DURATION_CUES)
_TOTAL_WORD = re.compile(_longest_first(AMOUNT_CUES[_TOTAL]))
# 不是六千 / 不是欠5万: the number is the wrong one (but 是不是5万 asks).
_NEGATED = re.compile(rf"(?<!是)不是\s*(?:{_longest_first(_AMOUNT_TABLE.kinds)})?(?:的|了|是)?\s*$")


def _nearest_cue(masked: str, start: int, end: int, table: _CueTable) -> _Cue | None:
    """The kind signalled by the last cue word in ``masked[start:end]``, and its span."""
    matches = list(table.pattern.finditer(masked, start, end))
    if not matches:
        return None
    last = matches[-1]
    return _Cue(table.kinds[last.group()], last.start(), last.end())


def _merge_parts(message: _Message, found: Sequence[_Found]) -> list[_Found]:
    """Add up parts, let totals and corrections replace them, drop breakdowns and 不是."""
    merged: list[_Found] = []
    for item in found:
        if item.negated:
            continue
        index = _partner(merged, item)
        if index is None:
            merged.append(item)
            continue
        partner = merged[index]
        action = _merge_action(message.plain, partner, item)
        if action == "sum":
            merged[index] = _summed(message.text, partner, item)
        elif action == "correct":
            merged[index] = _corrected(message.text, partner, item)
        elif action == "replace":
            del merged[index]
            merged.append(_total(partner, item))
        elif action == "keep":
            merged.append(item)
    return merged


def _partner(merged: Sequence[_Found], item: _Found) -> int | None:
    """The figure ``item`` may add to: the last balance, or the figure just before."""
    kind = item.figure.kind
    if kind == BALANCE:
        balances = [i for i, earlier in enumerate(merged) if earlier.figure.kind == BALANCE]
        return balances[-1] if balances else None
    if merged and merged[-1].figure.kind == kind:
        return len(merged) - 1
    return None


def _merge_action(text: str, partner: _Found, item: _Found) -> str:
    if item.figure.kind not in _MONEY_KINDS:
        return "keep"
    between = text[partner.figure.end : item.figure.start]
    if _CORRECTION.search(between):
        return "correct" if _names_a_part(partner, item) else "keep"
    if _BREAKDOWN.search(between):
        return "drop"
    if item.total:
        return "replace"
    if item.inherited or item.figure.kind == MONTHLY_EXPENSES:
        return "sum"
    if item.figure.kind == BALANCE:
        return _balance_action(between, partner, item)
    return "keep"


def _balance_action(between: str, partner: _Found, item: _Found) -> str:
    """A balance naming another lender is a separate debt; the same debt is refined."""
    labels = _labels(partner)
    if not item.label or item.label in labels:
        return "keep"  # 借了2万还剩1万: the later figure is the balance
    if partner.total:
        return "drop"  # 一共8万：招行5万，建行3万 – the total stands
    if labels != {""} or _LINK.search(between):
        return "sum"
    return "keep"


def _labels(found: _Found) -> set[str]:
    return {label for label, _ in _parts_of(found)}


def _parts_of(found: _Found) -> tuple[tuple[str, float], ...]:
    return found.figure.parts or ((found.label, float(found.figure.value)),)


def _total(partner: _Found, item: _Found) -> _Found:
    """A total stands; it keeps the parts before it when they add up to it."""
    parts = partner.figure.parts
    if parts and abs(sum(value for _, value in parts) - float(item.figure.value)) < 1:
        return replace(item, figure=replace(item.figure, parts=parts))
    return item


def _names_a_part(partner: _Found, item: _Found) -> bool:
    """不对，建行是1.5万: the correction names one part of a sum."""
    return bool(item.label and partner.figure.parts and item.label in _labels(partner))


def _summed(text: str, first: _Found, second: _Found) -> _Found:
    return _with_parts(text, first, _parts_of(first) + _parts_of(second), second.figure.end)


def _corrected(text: str, partner: _Found, item: _Found) -> _Found:
    parts = list(partner.figure.parts)
    index = max(i for i, (label, _) in enumerate(parts) if label == item.label)
    parts[index] = (item.label, float(item.figure.value))
    return _with_parts(text, partner, tuple(parts), item.figure.end)


def _with_parts(text: str, first: _Found, parts: tuple[tuple[str, float], ...], end: int) -> _Found:
    """The sum of ``parts``, spanning from ``first`` to ``end``."""
    start = first.figure.start
    value = sum(value for _, value in parts)
    figure = replace(first.figure, value=value, end=end, text=text[start:end], parts=parts)
    return _Found(figure)


__all__ = [
    "AMOUNT_CUES",
    "BALANCE",
    "DURATION_CUES",
    "ENTITY_KINDS",
    "HARDSHIP_DURATION",
    "LENDER_PATTERNS",
    "LENDER_TYPE",
    "LUMP_SUM",
    "MONTHLY_EXPENSES",
    "MONTHLY_INCOME",
    "MONTHS_OVERDUE",
    "RECEIVED",
    "ZERO_PATTERNS",
    "Figure",
    "extract_figures",
    "last_of_each_kind",
]
