"""Reads a message into lender names and amounts, and pairs them into debts
(the rules are in coach/debts/intake.py's docstring)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from coach.debts.lexicon import Lexicon, LexiconEntry, cue_words, lender_lexicon
from coach.debts.mentions import Amount, Budget, DebtMention, Draft, Facts, Mention, MessageText
from coach.debts.pairing import add_details, as_mention, pair_amounts, plain_number
from coach.figures.extract import (
    CLAIMED_TOTAL,
    LUMP_SUM,
    MONTHLY_EXPENSES,
    MONTHLY_INCOME,
    RECEIVED,
    Figure,
    extract_figures,
)
from coach.figures.money import (
    AMOUNT,
    UNIT_VALUES,
    NumberMatch,
    find_numbers,
)
from coach.language.normalise import normalise

CREDIT_CARD, BANK_LOAN, ONLINE_LENDER, OTHER = "credit_card", "bank_loan", "online_lender", "other"

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


@dataclass(frozen=True)
class Reading:
    text: MessageText
    mentions: tuple[Mention, ...]
    drafts: tuple[Draft, ...]
    loose: Facts  # details that belong to no debt named in the message
    budget: Budget


def read_debts(text: str) -> list[DebtMention]:
    """Every debt named in ``text``, in the order named."""
    return [as_mention(draft) for draft in read_message(text, edits=False).drafts]


def read_budget(text: str) -> Budget:
    """Income, expenses, savings and what the user can afford each month, when said."""
    return read_message(text, edits=False).budget


def read_message(text: str, edits: bool) -> Reading:
    plain = normalise(text)
    mentions = _find_mentions(plain, edits)
    rates = list(cue_words().rate.finditer(plain))
    spans = [(m.start, m.end) for m in mentions] + [r.span() for r in rates]
    spans += [d.span() for d in _DATE.finditer(plain)]
    prepared = _prepare(plain, spans)
    figures = extract_figures(_masked_for_extract(plain, mentions))
    amounts = _amounts(prepared, plain, spans, figures)
    drafts = pair_amounts(prepared, mentions, amounts)
    drafts, loose = add_details(prepared, drafts, figures, rates)
    return Reading(prepared, tuple(mentions), tuple(drafts), loose, _budget(figures, amounts))


def _prepare(plain: str, spans: Sequence[tuple[int, int]]) -> MessageText:
    chars = list(plain)
    for start, end in spans:
        chars[start:end] = _MASK * (end - start)
    clauses = [i + 1 for i, char in enumerate(plain) if char in _CLAUSE_BREAKS]
    sentences = [i + 1 for i, char in enumerate(plain) if char in _SENTENCE_BREAKS]
    return MessageText(plain, "".join(chars), tuple(clauses), tuple(sentences))


def _masked_for_extract(plain: str, mentions: Sequence[Mention]) -> str:
    """Our lender names as 网贷…: extract.py then reads no cue inside them (拿去花)."""
    chars = list(plain)
    mask = str(cue_words().data["extract_mask"])
    for mention in mentions:
        length = mention.end - mention.start
        chars[mention.start : mention.end] = (mask * length)[:length]
    return "".join(chars)


# --- Lender names ------------------------------------------------------------------------


def _find_mentions(plain: str, edits: bool) -> list[Mention]:
    lexicon = lender_lexicon()
    found = [mention_of(match, lexicon) for match in lexicon.pattern.finditer(plain)]
    if edits:
        found += _ordinals(plain, found)
    found.sort(key=lambda mention: mention.start)
    return _dropped_together(plain, [_judged(plain, mention, found) for mention in found])


def _dropped_together(plain: str, mentions: list[Mention]) -> list[Mention]:
    """广发和建行都删掉, 没有广发和建行: lenders joined by 和/、 go together."""
    joiner = cue_words().joiners
    pairs = [(index - 1, index) for index in range(1, len(mentions))]
    for first, second in [*reversed(pairs), *pairs]:
        between = plain[mentions[first].end : mentions[second].start].strip()
        if not (between and joiner.fullmatch(between)):
            continue
        if mentions[first].dropped or mentions[second].dropped:
            mentions[first] = replace(mentions[first], dropped=True)
            mentions[second] = replace(mentions[second], dropped=True)
    return mentions


def mention_of(match: re.Match[str], lexicon: Lexicon) -> Mention:
    start, end = match.span()
    if match.group("name"):
        return Mention(start, end, match.group("name"), lexicon.names[match.group("name")])
    bank, product = match.group("bank"), match.group("product")
    label = bank + (match.group("suffix") or "") + (product or "")
    lender_type, secured = lexicon.products[product] if product else (CREDIT_CARD, False)
    everyday = bank in lexicon.everyday and not (match.group("suffix") or product)
    entry = LexiconEntry(lexicon.banks[bank], lender_type, secured, alone=not everyday)
    return Mention(start, end, label, replace(entry, explicit=bool(product)))


def _ordinals(plain: str, taken: Sequence[Mention]) -> list[Mention]:
    """第二笔, 第3个, 最后一笔 (-1): a debt by its number in the list (edits only)."""
    found = []
    for match in cue_words().ordinal.finditer(plain):
        number = -1.0 if match.group("last") else plain_number(match.group("n"))
        if number is None or any(m.start < match.end() and match.start() < m.end for m in taken):
            continue
        entry = LexiconEntry("", OTHER, generic=True, alone=False)
        found.append(Mention(*match.span(), match.group(), entry, ordinal=int(number)))
    return found


def _judged(plain: str, mention: Mention, mentions: Sequence[Mention]) -> Mention:
    """Marks count headings (三张信用卡) and lenders that are no debt (没有网贷)."""
    cues = cue_words()
    before = plain[max(0, mention.start - 8) : mention.start]
    count = cues.counted.search(before)
    counted = count is not None and plain_number(count.group("count")) != 1  # 一张: one
    clause = plain[_clause_start(plain, mention.start) : mention.start]
    following = [m.start for m in mentions if m.start >= mention.end]
    after = plain[mention.end : min([_clause_end(plain, mention.end), *following])]
    dropped = bool(
        cues.lender_negated.search(before) or cues.remove.search(clause) or _says_done(after)
    )
    return replace(mention, counted=counted, dropped=dropped)


def _says_done(after: str) -> bool:
    """广发的不算, 8k已经还清了, 那笔删掉 – but not 还没还清, 想一次还清."""
    cues = cue_words()
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
    text: MessageText, plain: str, spans: Sequence[tuple[int, int]], figures: Sequence[Figure]
) -> list[Amount]:
    kinds = _figure_kinds(figures)
    found: list[Amount] = []
    previous_end = 0
    for number in find_numbers(_blanked(plain, spans)):
        if number.kind != AMOUNT or _is_not_money(text, number, spans):
            continue
        window = max(text.clause_start(number.start), previous_end)
        kind = kinds.get(number.start) or _inside(figures, number)
        role = _role(text, number, window, kind)
        found.append(Amount(number, int(round(number.value)), role, window))
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


def _is_not_money(text: MessageText, number: NumberMatch, spans: Sequence[tuple[int, int]]) -> bool:
    """Inside a lender name, rate or date; an identifier (尾号1234); a phone number."""
    if any(number.start < end and start < number.end for start, end in spans):
        return True
    if number.value <= 0 or _LONG_DIGITS.fullmatch(number.text.strip()):
        return True
    before = text.plain[max(0, number.start - 8) : number.start]
    return bool(cue_words().identifier.search(before))


def _role(text: MessageText, number: NumberMatch, window: int, kind: str | None) -> str:
    """budget, skip, affordable, required, monthly, total, correction, refine, each, debt."""
    if kind in _BUDGET_KINDS:
        return "budget"
    if kind == CLAIMED_TOTAL:
        return "claimed"
    cues = cue_words()
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


def _budget(figures: Sequence[Figure], amounts: Sequence[Amount]) -> Budget:
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
