"""Rewrites a chat message into the plain form the coach's readers expect.

Steps, in order:

1. Clean: drop lone surrogates and control characters, cap the length (the same rules
   as the chat channels' guard, so any path into the NLU is safe).
2. NFKC folding: full-width letters, digits and punctuation become half-width.
3. Case folding of Latin letters.
4. Traditional to simplified Chinese with OpenCC (``t2s``).
5. The reviewed lexicon of ``content/normalisation.yml``: chat abbreviations, homophone
   typos, dialect words and meaningful emoji become standard words; other emoji go.
6. Runs of repeated punctuation shrink to one mark (！！！ → !), white space to one space.

The figure extractor, the crisis net, the classifier and the practice-call reader all
read the result, so "我欠xyk兩萬！！！" means the same to each of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

from coach.content import load_content

MAX_TEXT_LENGTH = 1000
LEXICON_SECTIONS = (
    "chat_abbreviations",
    "homophone_typos",
    "traditional_leftovers",
    "dialect_words",
)
# Zero-width (non-)joiners are format characters that emoji sequences need.
_KEPT_FORMAT = {"\u200c", "\u200d"}
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f3fb-\U0001f3ff]"
)
_REPEATED_MARK = re.compile(r"([!?.,~。，！？、…·\-_=*#])\1+")
_MIXED_MARKS = re.compile(r"[!?]{2,}")
_SPACES = re.compile(r"\s+")


def clean(text: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Drops lone surrogates and control characters and caps the length."""
    kept = []
    for char in text or "":
        category = unicodedata.category(char)
        if category == "Cs" or category in ("Cc", "Cf") and char not in _KEPT_FORMAT:
            kept.append(" " if char in "\t\n\r" else "")
            continue
        kept.append(char)
    return "".join(kept)[:max_length]


def normalise(text: str) -> str:
    """The message as the readers see it (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", clean(text)).lower()
    simplified = _converter().convert(folded)
    worded = _lexicon().rewrite(simplified)
    without_emoji = _EMOJI.sub("", worded)
    marks = _MIXED_MARKS.sub(lambda match: match.group(0)[-1], without_emoji)
    return _SPACES.sub(" ", _REPEATED_MARK.sub(r"\1", marks)).strip()


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    standard: dict[str, str]

    def rewrite(self, text: str) -> str:
        return self.pattern.sub(lambda match: self.standard[_key(match.group(0))], text)


def _key(written: str) -> str:
    return _SPACES.sub("", written)


@cache
def _lexicon() -> _Lexicon:
    """One alternation of every entry, longest first, so 咋整 wins over 咋."""
    content = load_content("normalisation")
    standard: dict[str, str] = {}
    for section in (*LEXICON_SECTIONS, "emoji_words"):
        for word, variants in content[section].items():
            for variant in variants:
                standard[_key(_fold(variant))] = word
    ordered = sorted(standard, key=len, reverse=True)
    pattern = re.compile("|".join(_entry_pattern(written) for written in ordered))
    return _Lexicon(pattern, standard)


def _fold(variant: str) -> str:
    folded: str = _converter().convert(unicodedata.normalize("NFKC", str(variant)).lower())
    return folded


def fold(text: str) -> str:
    """Full-width to ASCII, lower case, traditional to simplified: one character for one, so
    a span of the result is the same span of ``text`` (the readers that report spans use it;
    ``normalise`` may change the length)."""
    chars = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char).lower()
        if unicodedata.category(char) in ("Cc", "Cs"):
            folded = " "
        chars.append(folded if len(folded) == 1 else char)
    plain = "".join(chars)
    simplified: str = _converter().convert(plain)
    if len(simplified) == len(plain):
        return simplified
    return "".join(_one_simplified(char) for char in plain)


def _one_simplified(char: str) -> str:
    converted: str = _converter().convert(char)
    return converted if len(converted) == 1 else char


def _entry_pattern(written: str) -> str:
    """Latin entries match whole words, with optional spaces between their letters."""
    if not written.isascii():
        return re.escape(written)
    letters = r"\s*".join(re.escape(char) for char in written)
    return rf"(?<![a-z]){letters}(?![a-z])"
