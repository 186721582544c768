"""The project's spaCy pipeline: blank Chinese with the jieba segmenter.

It needs no download. If the setup script has saved it to ``var/spacy_zh`` (the copy
Rasa's SpacyNLP loads), that copy is used, so both segment text the same way.
"""

from functools import lru_cache

import spacy
from spacy.language import Language

from coach.paths import VAR_DIR

SAVED_PIPELINE = VAR_DIR / "spacy_zh"
BLANK_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}


@lru_cache(maxsize=1)
def blank_zh() -> Language:
    """The pipeline, created once per process."""
    if (SAVED_PIPELINE / "config.cfg").is_file():
        return spacy.load(SAVED_PIPELINE)
    return spacy.blank("zh", config=BLANK_CONFIG)
