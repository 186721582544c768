"""The content loader lives in the core (``coach.content``); the actions import it here."""

from coach.content import CONTENT_DIR, load_content

__all__ = ["CONTENT_DIR", "load_content"]
