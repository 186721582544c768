"""The claims a text states and the facts behind them, for tests/unit/coach/guidance/test_facts.py.

A law article (第196条, 第一百九十六条, Art. 70), a hotline number (12378, 110, 96110 …) or a
percentage (90%, 百分之九十) in a domain.yml response or a content/*.yml text must occur in
one of the facts ``content/fact_refs.yml`` names behind that text (``coach.guidance.fact_refs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from coach.guidance.fact_refs import _load, _walk, content_files, facts_by_id, refs
from coach.language.numerals import DIGITS, read_integer
from coach.paths import ROOT

DOMAIN_FILE = ROOT / "domain.yml"

_NUM = r"(?:\d+|[零〇一二两三四五六七八九十百千]+)"
ARTICLE_RE = re.compile(rf"第({_NUM}(?:[、，,和及与至到\-—~]{_NUM})*)条(之[一二三四五六七八九十]+)?")
ARTICLE_EN_RE = re.compile(r"\bArt(?:icle)?\.?\s*(\d+)", re.IGNORECASE)
# Service numbers: 110, 119, 120, 122 …, 12xxx hotlines and 96xxx lines. A following 天,
# 元, 个月, 年 … marks an amount, a duration or a date, not a phone number; a letter or _
# before it marks an identifier (hotline_12378).
HOTLINE_RE = re.compile(
    r"(?<![0-9A-Za-z_.])(11[0249]|12[02]|12\d{3}|96\d{3})(?![\d.万千元块天个期%％年月日号条])"
)
PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
PERCENT_CN_RE = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)")


def written_number(text: str) -> int:
    """一百九十六 -> 196, 一千零三十二 -> 1032, 十 -> 10; digits pass through."""
    value = read_integer(text)
    if value is None:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return value


def _percent_value(text: str) -> str:
    if "点" in text:
        whole, _, decimals = text.partition("点")
        digits = "".join(str(DIGITS[c]) for c in decimals)
        return f"{written_number(whole)}.{digits}"
    return str(written_number(text))


def claims_in(text: str) -> set[str]:
    """The law articles, hotline numbers and percentages a text states, normalised:
    "第196条", "第293条之一", "12378", "90%"."""
    found: set[str] = set()
    for match in ARTICLE_RE.finditer(text):
        suffix = match.group(2) or ""
        for number in re.split(r"[、，,和及与至到\-—~]", match.group(1)):
            found.add(f"第{written_number(number)}条{suffix}")
    for match in ARTICLE_EN_RE.finditer(text):
        found.add(f"第{int(match.group(1))}条")
    found.update(HOTLINE_RE.findall(text))
    for match in PERCENT_RE.finditer(text):
        found.add(f"{float(match.group(1)):g}%")
    for match in PERCENT_CN_RE.finditer(text):
        found.add(f"{float(_percent_value(match.group(1))):g}%")
    return found


def fact_claims(entry: dict[str, Any]) -> set[str]:
    """What a fact stands behind: the claims in its text, number and cites."""
    parts = [entry.get("text_zh", ""), *[str(c) for c in entry.get("cites") or []]]
    found = set().union(*(claims_in(part) for part in parts))
    if entry.get("number"):
        found.add(str(entry["number"]))
    return found


def response_texts() -> Iterator[tuple[str, str]]:
    """(response name, text) for every variation of every domain response, buttons'
    titles included."""
    for name, variations in (_load(DOMAIN_FILE).get("responses") or {}).items():
        for variation in variations:
            yield name, variation.get("text", "")
            for button in variation.get("buttons", []):
                yield name, button.get("title", "")


def not_user_facing(file_name: str, path: str) -> bool:
    patterns = (refs().get("not_user_facing") or {}).get(file_name) or []
    return any(fnmatchcase(path, pattern) for pattern in patterns)


def content_texts() -> Iterator[tuple[str, str, str]]:
    """(file name, key path, text) for every string in the scanned content files that is
    shown to users (paths listed under not_user_facing are left out)."""
    for path in content_files():
        for key, value in _walk(_load(path)):
            if isinstance(value, str) and not not_user_facing(path.name, key):
                yield path.name, key, value


def referenced_facts(file_name: str, key: str) -> list[str]:
    """Fact ids fact_refs.yml names behind a response (file_name "domain.yml") or a
    content text."""
    spec = refs()
    if file_name == "domain.yml":
        return list((spec.get("responses") or {}).get(key) or [])
    return list(((spec.get("content") or {}).get(file_name) or {}).get(key) or [])


def unbacked_claims(file_name: str, key: str, text: str) -> set[str]:
    """Claims in a text that none of the facts named behind it states."""
    claims = claims_in(text)
    if not claims:
        return set()
    catalogue = facts_by_id()
    backed: set[str] = set()
    for fact_id in referenced_facts(file_name, key):
        if fact_id in catalogue:
            backed |= fact_claims(catalogue[fact_id])
    return claims - backed
