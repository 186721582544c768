"""Where a complaint goes: by the licence of the lender named in the loan contract.

Banks (微粒贷 is 微众银行's, 网商贷 网商银行's) and consumer-finance companies (招联, 马上消费,
花呗/借呗 of 蚂蚁消费金融 …) are supervised by the NFRA: 12378. Small-loan companies answer to
the local financial regulator and the NIFA platform; private lenders have no regulator
(110 for threats, the court, 12348). A name that does not say who lent (网贷, 京东金条 …)
gets the way to find the lender's name in the contract or the app. The licences live in
``content/lenders.yml``, the routes' texts in ``content/casefile.yml``; every text that
names a complaint channel (case file replies, letters, offer notes) routes here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coach.content import load_content
from coach.language.normalise import normalise

# The routes the texts are keyed by (content/casefile.yml routes, route_facts).
ROUTE_OF_LICENCE = {
    "bank": "bank",
    "consumer_finance": "bank",
    "small_loan": "online",
    "private": "private",
}
UNKNOWN_ROUTE = "any"


def _lexicon() -> dict[str, Any]:
    return load_content("lenders")


def _named_lender(folded: str) -> Mapping[str, Any] | None:
    """The lexicon entry whose longest name occurs in the text."""
    best: tuple[int, Mapping[str, Any]] | None = None
    for spec in _lexicon()["lenders"].values():
        for name in spec["names"]:
            if name in folded and (best is None or len(name) > best[0]):
                best = (len(name), spec)
    return best[1] if best else None


def _names_a_bank(folded: str) -> bool:
    lexicon = _lexicon()
    everyday = set(lexicon["everyday_words"])
    for aliases in lexicon["banks"].values():
        for alias in aliases:
            if alias in folded and (alias not in everyday or alias + "银行" in folded):
                return True
    return False


def licence_of(name: str | None, lender_type: str | None = None) -> str | None:
    """bank, consumer_finance, small_loan, private, or None when nothing says it."""
    folded = normalise(name or "")
    if folded:
        for licence, words in _lexicon()["licence_words"].items():
            if any(word in folded for word in words):
                return str(licence)
        named = _named_lender(folded)
        if named is not None:
            return str(named["licence"]) if named.get("licence") else None
        if _names_a_bank(folded):
            return "bank"
    implied: Mapping[str, str] = _lexicon()["licence_of_lender_type"]
    return implied.get(lender_type or "")


def route_for(lender_type: str | None, name: str | None = None) -> str:
    """bank (12378), online (local regulator + NIFA), private, or any (find the name)."""
    licence = licence_of(name, lender_type)
    return ROUTE_OF_LICENCE.get(licence or "", UNKNOWN_ROUTE)
