"""Reads money amounts and durations out of Chinese chat text.

People type figures in many ways: 50000, 50,000, 5万, 五万, 两万五, 4万8, 2.5w, 3k, ¥8,000,
全角 ５０００, 三千多, 三个多月, 一年半, 90天, and in traditional characters 兩萬五, 三個月.
This module turns them into numbers with regular expressions and a small Chinese-numeral
converter (no external library).

Reading rules, in the order a reader meets them:

- Spoken abbreviation: one digit after the last unit counts in the next lower unit, so
  两万五 = 25000, 八千五 = 8500, 4万8 = 48000; but 4万800 = 40800 and 一万零五 = 10005.
- 多/余/来 after a number (三千多, 五百来块) are dropped: the value is the stated floor;
  30多万 = 300000.
- Vague amounts are not amounts: 几千, 十几万, 两三万 (two neighbouring digits = a range).
  ``find_range`` reads such ranges on their own (六七千, 两三万, 5000到6000, 5-6千, 三四个月)
  for a form that asked for one figure: it takes the lower one and says so.
- A number followed by a counter or calendar word (3个月 as money, 3张卡, 第3期, 30%,
  百分之30, 3月5号, 2023年) is not an amount. A duration is never reported as an amount.
- Words that only begin with a counter do not block: 5万本金, 3万分12期, 八千 度小满.
- The number of a list item (1. 浦发信用卡38000元；2、…) is not an amount.
- Discounts are not amounts: a number below 100 before 折 (打5折, 7.5折, 85折); 5万折腾 is.
- A digit after 百/千/万 that a counter follows belongs to the counter: 两万一个月 is
  两万 + 一个月, 2万一张 is 2万 + 一张 (两万五一个月 was already cut between 五 and 一).
- A bare Chinese number without 百/千/万/亿 (五, 十五) is money only with 元/块 after it or
  when it is the whole message, because 一 and 十 turn up inside ordinary words (一共,
  十分). 零 counts as 0 at the end of a clause (存款为零).
- Durations are in months: 1 year = 12, 1 week = 1/4 (2周 = 0.5), 1 day = 1/30
  (45天 = 1.5), rounded to 2 decimals. A four-digit year before 年 is a date, not a duration.
- Offsets always refer to the text as given: normalisation maps one character to one
  (full-width to ASCII, and traditional characters of numbers, counters and debt words to
  simplified ones: 兩萬 → 两万, 個月 → 个月, 還 → 还).
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

AMOUNT = "amount"
DURATION = "duration"

CN_DIGIT_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
UNIT_VALUES = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
    "k": 1000,
    "K": 1000,
    "万": 10**4,
    "萬": 10**4,
    "w": 10**4,
    "W": 10**4,
    "亿": 10**8,
}

# Traditional characters that only occur in traditional text, each with its simplified
# form, as "繁简" pairs: numerals, counters, and the words people use about debts.
_TRADITIONAL_PAIRS = """
    個个 兩两 萬万 億亿 塊块 錢钱 圓圆 幾几 餘余 來来 週周 禮礼 號号 張张 筆笔 歲岁 點点
    鐘钟 層层 樓楼 臺台 條条 級级 屆届 輛辆 間间 隻只 輪轮 貳贰 陸陆 還还 貸贷 債债 資资
    開开 銷销 費费 對对 錯错 說说 應应 該该 總总 計计 額额 實实 際际 賬账 帳账 沒没 發发
    養养 險险 學学 醫医 藥药 話话 電电 飯饭 頭头 裡里 裏里 積积 儲储 銀银 農农 業业 設设
    國国 興兴 華华 郵邮 網网 東东 唄呗 樂乐 滿满 聯联 親亲 們们 斷断 遲迟 這这 樣样 麼么
    給给 從从 與与 減减 價价 幫帮 處处 認认 為为 僅仅 現现 種种 經经 過过 後后 訴诉 舉举
    報报 眾众 買买 賣卖 單单 車车 產产 師师 邊边 時时 證证 動动 準准 備备 願愿 離离 職职
    辭辞 確确 員员 據据 幣币 負负 緊紧 難难 壓压 問问 題题 貼贴 補补 償偿 換换 讓让 無无
    見见 進进 療疗 護护 傷伤 術术 闆板 廠厂 閒闲 長长 標标 辦办 結结 貴贵 廣广 匯汇 滙汇
    豐丰 轉转 賺赚 掙挣 盡尽 預预 約约 錄录 簽签 剛刚 纔才 於于 嗎吗 誰谁 復复 複复 審审
    雙双 夠够 團团 運运 撫抚 贍赡 購购 湊凑 繳缴 優优 選选 騎骑 糾纠 誤误 講讲 記记 寫写
    惡恶 窮穷 貧贫 賠赔 騙骗 數数 頁页 統统 碼码 歸归 細细 線线
"""
_TRADITIONAL = {pair[0]: pair[1] for pair in _TRADITIONAL_PAIRS.split()}

_NORMALISE = str.maketrans(
    {
        **_TRADITIONAL,
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "．": ".",
        "￥": "¥",
        "－": "-",
        "−": "-",
        "ｗ": "w",
        "Ｗ": "W",
        "ｋ": "k",
        "Ｋ": "K",
        "　": " ",
        "％": "%",
    }
)

_THOUSANDS_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")
_DIGITS = "".join(CN_DIGIT_VALUES)
_CN_UNITS = "十拾百佰千仟万萬亿"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_MAX_TOKENS = 24  # longer runs of numerals are no amount; the cap keeps scans linear
_LOOK_BACK = 12  # characters before a number that may hold its sign or currency
_CANDIDATE = re.compile(
    rf"(?:{_ARABIC}|[{_DIGITS}十拾]|半(?=个|年|天|周|星期|礼拜))"
    rf"(?:{_ARABIC}|[{_DIGITS}{_CN_UNITS}]|(?<=\d)[wWkK](?![A-Za-z])){{0,{_MAX_TOKENS}}}"
)
_TOKEN = re.compile(
    rf"(?P<arabic>{_ARABIC})|(?P<digit>[{_DIGITS}])" rf"|(?P<unit>[{_CN_UNITS}wWkK])|(?P<half>半)"
)
_DURATION_SUFFIX = re.compile(
    r"\s?(?P<more>[多来余])?"
    r"(?:(?P<months>个半月|个多月|个来月|个月)"
    r"|(?P<years>年半|年多|年)"
    r"|(?P<weeks>个多星期|个星期|个多礼拜|个礼拜|星期|礼拜|周(?!岁))"
    r"|(?P<days>天))"
)
_MORE = re.compile(r"[多来余](?P<unit>[百千万亿])?")
_CURRENCY_SUFFIX = re.compile(r"\s?(?:块钱|块(?!儿)|元|圆|人民币|rmb|RMB)")
# Words that begin with a counter but follow amounts: 5万本金, 3万分12期, 八千 度小满.
_NOT_COUNTERS = (
    "本金|本息|本来|分期|分成|分摊|度小满|期间|次月|家里|家人|部分|名下|条件|份额" rf"|分(?=\s?[\d{_DIGITS}十])"  # 3万分12期, 5万分三年
)
_NOT_MONEY_AFTER = re.compile(
    rf"\s?(?!{_NOT_COUNTERS})"
    r"(?:个|月|年|日|号|天|周|星期|礼拜|期|次|岁|点|%|倍|人|家|张|笔|口|套|份|成|分"
    r"|层|楼|台|条|位|名|代|级|度|季|届|斤|公斤|米|小时|钟|秒|遍|趟|轮|回|克|栋|部|本"
    r"|只|支|辆|间|所|几)"
)
_PREFIX = re.compile(
    r"(?:(?P<sign>[-负])\s?)?(?:(?:¥|RMB|rmb|CNY|人民币)\s?)?(?:(?P<sign_after>-)\s?)?$"
)
_BLOCKING_BEFORE = re.compile(r"[几第之]\s?$")  # 几千, 第3期, 百分之30
_LIST_NUMBER = re.compile(r"\d{1,2}(?=\s?[.、)）](?!\d))")  # 1. 浦发信用卡38000元；2. …
_LIST_NUMBER_BEFORE = frozenset("：:；;。，,！!？?\n\t ")
_DISCOUNT_AFTER = re.compile(r"\s?折")
_RANGE_AFTER = re.compile(rf"\s?[-~～到至]\s?[\d{_DIGITS}十半]")
_RANGE_BEFORE = re.compile(rf"[\d{_DIGITS}{_CN_UNITS}]\s?[-~～到至]\s?$")
_FILLER = re.compile(r"[\W_]*")
_DATE_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class NumberMatch:
    """One amount (yuan) or duration (months) found in a text, with its span."""

    kind: str
    value: float
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "zero", "unit" or "half"
    value: Decimal
    end: int
    single_digit: bool = False
    chinese: bool = False


def normalise(text: str) -> str:
    """Full-width digits, signs and letters to ASCII, one character for one.

    A Chinese comma between digits, followed by exactly three, is a thousands
    separator typed in Chinese input mode (５，０００).
    """
    return _THOUSANDS_COMMA.sub(",", text.translate(_NORMALISE))


def parse_amount(text: str) -> float | None:
    """The first amount in yuan in ``text``, or None when it holds no amount."""
    amounts = (match for match in _scan(text) if match.kind == AMOUNT)
    return next((match.value for match in amounts), None)


def parse_months(text: str) -> float | None:
    """The first duration in months in ``text``, or None when it holds none."""
    durations = (match for match in _scan(text) if match.kind == DURATION)
    return next((match.value for match in durations), None)


def find_amounts(text: str) -> list[NumberMatch]:
    """Every amount in ``text``, in order."""
    return [match for match in find_numbers(text) if match.kind == AMOUNT]


def find_durations(text: str) -> list[NumberMatch]:
    """Every duration in ``text``, in order."""
    return [match for match in find_numbers(text) if match.kind == DURATION]


def find_numbers(text: str) -> list[NumberMatch]:
    """Every amount and duration in ``text``, in order, spans not overlapping."""
    return list(_scan(text))


@dataclass(frozen=True)
class RangeMatch:
    """A range such as 六七千 (6000 to 7000 yuan) or 三四个月 (3 to 4 months)."""

    kind: str
    low: float
    high: float
    text: str


_NEIGHBOURS = re.compile(
    rf"(?P<low>[{_DIGITS}])(?P<high>[{_DIGITS}])(?:(?P<unit>[十百千万]+|[wWkK])|(?=\s?个?月))"
)
_SPAN_RANGE = re.compile(
    rf"(?P<low>(?:{_ARABIC}|[{_DIGITS}])[{_CN_UNITS}wWkK]*)\s?[-~～到至]\s?"
    rf"(?P<high>(?:{_ARABIC}|[{_DIGITS}])[{_CN_UNITS}wWkK]*)"
)
_MONTHS_AFTER = re.compile(r"\s?个?月")


def find_range(text: str) -> RangeMatch | None:
    """The first range of an amount or a number of months in ``text``, or None."""
    normal = normalise(text)
    for match in sorted(
        [*_NEIGHBOURS.finditer(normal), *_SPAN_RANGE.finditer(normal)], key=lambda m: m.start()
    ):
        found = _range_of(normal, match)
        if found is not None:
            return found
    return None


def _range_of(normal: str, match: "re.Match[str]") -> RangeMatch | None:
    low_text, high_text = match.group("low"), match.group("high")
    unit = match.groupdict().get("unit") or ""
    if not unit:
        unit = high_text[len(high_text.rstrip(_CN_UNITS + "wWkK")) :]
        if low_text.rstrip(_CN_UNITS + "wWkK") != low_text:
            unit = ""  # 五千到六千: each side has its own unit
    high_unit = "" if match.groupdict().get("unit") is None and unit else unit
    low, high = parse_number(low_text + unit), parse_number(high_text + high_unit)
    if low is None or high is None or not 0 <= low < high:
        return None
    months = bool(_MONTHS_AFTER.match(normal, match.end()))
    kind = DURATION if months else AMOUNT
    return RangeMatch(kind, low, high, match.group())


def parse_number(expression: str) -> float | None:
    """The value of a bare number expression such as 一百二十万, 4万8 or 2.5w."""
    normal = normalise(expression.strip())
    if not _CANDIDATE.fullmatch(normal):
        return None
    tokens, end, vague = _usable_tokens(_tokenise(normal, 0), len(normal))
    if vague or end != len(normal):
        return None
    return float(_evaluate(tokens))


def _scan(text: str) -> Iterator[NumberMatch]:
    normal = normalise(text)
    position = 0
    while True:
        candidate = _CANDIDATE.search(normal, position)
        if candidate is None:
            return
        match, position = _read_candidate(text, normal, candidate)
        if match is not None:
            yield match


def _read_candidate(
    text: str, normal: str, candidate: "re.Match[str]"
) -> tuple[NumberMatch | None, int]:
    """Judge one run of number characters; return what it is and where to go on."""
    start = candidate.start()
    tokens, end, vague = _usable_tokens(_tokenise(candidate.group(), start), candidate.end())
    if vague or _BLOCKING_BEFORE.search(normal, max(0, start - 2), start):
        return None, candidate.end()
    if normal[end : end + 1] == "几":
        return None, end + 1
    before = normal[max(0, start - _LOOK_BACK) : start]
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(normal, end):
        return None, end
    tokens, end = _without_counted_digit(normal, tokens, end)
    duration = _read_duration(text, normal, tokens, start, end)
    if duration is not None:
        return duration, duration.end
    if tokens[0].kind == "half":
        return None, end
    amount = _read_amount(text, normal, tokens, start, end)
    return amount, (amount.end if amount else end)


def _tokenise(expression: str, offset: int) -> list[_Token]:
    return [_token(match, offset) for match in _TOKEN.finditer(expression)]


def _token(match: "re.Match[str]", offset: int) -> _Token:
    end = offset + match.end()
    raw = match.group()
    if match.lastgroup == "arabic":
        value = Decimal(raw.replace(",", ""))
        return _Token("number", value, end, single_digit=len(raw) == 1)
    if match.lastgroup == "digit":
        value = Decimal(CN_DIGIT_VALUES[raw])
        kind = "zero" if value == 0 else "number"
        return _Token(kind, value, end, single_digit=True, chinese=True)
    if match.lastgroup == "half":
        return _Token("half", Decimal("0.5"), end, chinese=True)
    return _Token("unit", Decimal(UNIT_VALUES[raw]), end, chinese=raw in _CN_UNITS)


def _usable_tokens(tokens: list[_Token], end: int) -> tuple[list[_Token], int, bool]:
    """Cut the run where two numbers touch; flag ranges such as 两三万 as vague.

    八千五一个月 reads as 八千五 + 一个月, but 三四千 is "three or four thousand".
    """
    for index in range(1, len(tokens)):
        previous, current = tokens[index - 1], tokens[index]
        if previous.kind == "zero" or current.kind not in ("number", "zero"):
            continue
        if previous.kind != "number":
            continue
        if previous.chinese and current.chinese and current.value == previous.value + 1:
            return tokens, end, True
        return tokens[:index], previous.end, False
    return tokens, end, False


def _without_counted_digit(normal: str, tokens: list[_Token], end: int) -> tuple[list[_Token], int]:
    """两万一个月, 2万一张: a digit after 百/千/万 that a counter follows counts the months
    or cards; it does not abbreviate the amount (两万五一个月 is cut between 五 and 一)."""
    if not (_is_abbreviated(tokens) and tokens[-2].value >= 100):
        return tokens, end
    if _DURATION_SUFFIX.match(normal, end) or _NOT_MONEY_AFTER.match(normal, end):
        return tokens[:-1], tokens[-2].end
    return tokens, end


def _evaluate(tokens: Sequence[_Token]) -> Decimal:
    """Value of a number expression; see the module docstring for the rules."""
    total = section = Decimal(0)
    pending: Decimal | None = None
    last_unit = Decimal(0)
    for token in tokens:
        if token.kind in ("number", "half", "zero"):
            pending = None if token.kind == "zero" else token.value
        elif token.value >= 10**4:
            section_value = section + (pending or 0)
            if token.value >= 10**8:
                total = (total + section_value) * token.value
            else:
                total += section_value * token.value
            section, pending, last_unit = Decimal(0), None, token.value
        else:
            section += (1 if pending is None else pending) * token.value
            pending, last_unit = None, token.value
    if pending is not None and _is_abbreviated(tokens):
        pending *= last_unit / 10
    return total + section + (pending or 0)


def _is_abbreviated(tokens: Sequence[_Token]) -> bool:
    """两万五, 4万8: a lone digit straight after a unit (not after 零)."""
    return (
        len(tokens) >= 2
        and tokens[-1].single_digit
        and tokens[-1].kind == "number"
        and tokens[-2].kind == "unit"
    )


def _read_duration(
    text: str, normal: str, tokens: list[_Token], start: int, end: int
) -> NumberMatch | None:
    suffix = _DURATION_SUFFIX.match(normal, end)
    if suffix is None or _is_year_date(normal[start:end], suffix):
        return None
    months = _in_months(_evaluate(tokens), suffix)
    return NumberMatch(DURATION, months, start, suffix.end(), text[start : suffix.end()])


def _is_year_date(number: str, suffix: "re.Match[str]") -> bool:
    return bool(suffix.group("years")) and bool(_DATE_YEAR.fullmatch(number))


def _in_months(value: Decimal, suffix: "re.Match[str]") -> float:
    unit = suffix.group(suffix.lastgroup or "")
    if suffix.group("months"):
        months = value + (Decimal("0.5") if "半" in unit else 0)
    elif suffix.group("years"):
        months = value * 12 + (6 if "半" in unit else 0)
    elif suffix.group("weeks"):
        months = value / 4
    else:
        months = value / 30
    return round(float(months), 2)


def _read_amount(
    text: str, normal: str, tokens: list[_Token], start: int, end: int
) -> NumberMatch | None:
    value = _evaluate(tokens)
    more = _MORE.match(normal, end)
    if more:
        if more.group("unit"):
            value *= UNIT_VALUES[more.group("unit")]
        end = more.end()
    currency = _CURRENCY_SUFFIX.match(normal, end)
    if currency is None and _is_no_money(normal, start, end, value):
        return None
    full_end = currency.end() if currency else end
    full_start, negative = _read_prefix(normal, start)
    if _is_weak(tokens) and not (currency or _stands_alone(normal, tokens, full_start, full_end)):
        return None
    if negative:
        value = -value
    return NumberMatch(AMOUNT, float(value), full_start, full_end, text[full_start:full_end])


def _is_no_money(normal: str, start: int, end: int, value: Decimal) -> bool:
    """A counted thing (3张), a discount (5折) or the number of a list item (1. …)."""
    if _NOT_MONEY_AFTER.match(normal, end) or _is_discount(normal, end, value):
        return True
    listed = _LIST_NUMBER.match(normal, start)
    after_a_break = start == 0 or normal[start - 1] in _LIST_NUMBER_BEFORE
    return bool(listed and listed.end() == end and after_a_break)


def _is_discount(normal: str, end: int, value: Decimal) -> bool:
    """打5折, 7.5折, 八五折: a number below 100 before 折 (5万折腾 is still money)."""
    return value < 100 and bool(_DISCOUNT_AFTER.match(normal, end))


def _is_weak(tokens: Sequence[_Token]) -> bool:
    """A Chinese number without 百/千/万/亿, which may just be part of a word."""
    has_arabic = any(not token.chinese for token in tokens)
    has_big_unit = any(token.kind == "unit" and token.value >= 100 for token in tokens)
    return not (has_arabic or has_big_unit)


def _stands_alone(normal: str, tokens: Sequence[_Token], start: int, end: int) -> bool:
    """True when the number is the whole message, or a 零 closing its clause."""
    if _FILLER.fullmatch(normal[:start]) and _FILLER.fullmatch(normal[end:]):
        return True
    is_zero = all(token.kind == "zero" for token in tokens)
    return is_zero and not re.match(r"\w", normal[end : end + 1])


def _read_prefix(normal: str, start: int) -> tuple[int, bool]:
    """Where the figure starts once a currency sign or minus is included; negative?

    A dash right after a digit is a range (3-5千), not a minus sign.
    """
    offset = max(0, start - _LOOK_BACK)
    prefix = _PREFIX.search(normal, offset, start)
    if prefix is None or prefix.start() == start:
        return start, False
    signed = bool(prefix.group("sign") or prefix.group("sign_after"))
    if signed and normal[prefix.start() - 1 : prefix.start()].isdigit():
        return start, False
    return prefix.start(), signed


__all__ = [
    "AMOUNT",
    "DURATION",
    "NumberMatch",
    "find_amounts",
    "find_durations",
    "find_numbers",
    "normalise",
    "parse_amount",
    "parse_months",
    "parse_number",
]
