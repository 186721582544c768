"""Building regular expressions from word lists: the one alternation builder."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str], *, whole_latin_words: bool = True) -> str:
    """One escaped alternative per word, longest first, so 京东白条 wins over 白条, as a
    non-capturing group. Latin words match whole words only (``hb`` is not inside ``hbo``)
    unless ``whole_latin_words`` is false."""
    parts = []
    for word in sorted(set(words), key=lambda word: (-len(word), word)):
        escaped = re.escape(word)
        if whole_latin_words and word.isascii() and word.isalpha():
            escaped = rf"(?<![a-z]){escaped}(?![a-z])"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"
