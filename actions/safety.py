"""The crisis safety net: phrases that always get the crisis answer first."""

from functools import lru_cache
from typing import Tuple

from actions.content import load_content


@lru_cache(maxsize=1)
def crisis_phrases() -> Tuple[str, ...]:
    return tuple(load_content("safety")["crisis_phrases"])


def mentions_crisis(text: str) -> bool:
    compact = "".join((text or "").split())
    return any(phrase in compact for phrase in crisis_phrases())
