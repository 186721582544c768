"""Builds the project's spaCy pipeline: blank Chinese with the jieba segmenter.

It needs no download. SpacyNLP loads it from ``var/spacy_zh`` (config.yml), and the
role-play turn reader uses the same pipeline.
"""

import sys
from pathlib import Path

import spacy

TARGET = Path(sys.argv[1] if len(sys.argv) > 1 else "var/spacy_zh")


def main() -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.meta["name"] = "debt_coach_zh_jieba"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(TARGET)
    print(f"spaCy zh pipeline (jieba segmenter) written to {TARGET}")


if __name__ == "__main__":
    main()
