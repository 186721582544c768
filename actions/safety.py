"""The crisis lexicon lives in the core (``coach.crisis``); the actions import it here."""

from coach.crisis import crisis_signals, mentions_crisis

__all__ = ["crisis_signals", "mentions_crisis"]
