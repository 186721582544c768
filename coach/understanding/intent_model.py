"""The intent classifier's model: TF-IDF over character n-grams and words, then
logistic regression. No Rasa import; ``addons/nlu/intent_classifier.py`` adapts it.

Why this and not Rasa's DIET (README, "Pipeline comparison"): on the outside-style test
set it was more accurate, it trains in seconds instead of minutes, and its probabilities
are calibrated enough for the fallback threshold and the crisis ranking rule.

Features: ``char_wb`` 1-3-grams (robust to typos and unseen words) and jieba words (the
longest n-grams of each are settings), each TF-IDF weighted with sublinear term frequency. The classifier is multinomial logistic
regression with balanced class weights; ``strength`` is scikit-learn's ``C`` (chosen by
5-fold cross-validation on the training data). The model is saved as JSON and NumPy
arrays (no pickle), so loading a model cannot run code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coach.understanding.features import with_placeholders

jieba.setLogLevel(logging.WARNING)

ARRAYS_FILE = "intent_model.npz"
# What the features read: the text itself ("off"), the text with placeholders for both
# kinds of feature ("replace"), or the text's characters and the placeholder text's words
# ("add"). docs/understanding.md, "Placeholders before features", has the comparison.
PLACEHOLDER_MODES = ("off", "replace", "add")
VOCABULARY_FILE = "intent_model.json"


def jieba_words(text: str) -> list[str]:
    return [word for word in jieba.lcut(text) if word.strip()]


def _character_vectorizer(longest: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, longest), sublinear_tf=True)


def _word_vectorizer(longest: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        tokenizer=jieba_words,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, longest),
        sublinear_tf=True,
    )


@dataclass
class IntentModel:
    characters: TfidfVectorizer
    words: TfidfVectorizer
    classifier: LogisticRegression
    placeholders: str = "off"

    def features(self, texts: Sequence[str], fit: bool = False) -> csr_matrix:
        replaced = [with_placeholders(text) for text in texts]
        character_texts = replaced if self.placeholders == "replace" else texts
        word_texts = texts if self.placeholders == "off" else replaced
        if fit:
            parts = [
                self.characters.fit_transform(character_texts),
                self.words.fit_transform(word_texts),
            ]
        else:
            parts = [self.characters.transform(character_texts), self.words.transform(word_texts)]
        return csr_matrix(hstack(parts))

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        intents: Sequence[str],
        strength: float = 30.0,
        max_iter: int = 2000,
        seed: int = 42,
        longest_characters: int = 3,
        longest_words: int = 1,
        placeholders: str = "off",
    ) -> IntentModel:
        if placeholders not in PLACEHOLDER_MODES:
            raise ValueError(f"placeholders must be one of {PLACEHOLDER_MODES}: {placeholders!r}")
        classifier = LogisticRegression(
            C=strength, max_iter=max_iter, class_weight="balanced", random_state=seed
        )
        model = cls(
            _character_vectorizer(longest_characters),
            _word_vectorizer(longest_words),
            classifier,
            placeholders,
        )
        classifier.fit(model.features(texts, fit=True), list(intents))
        return model

    @property
    def intents(self) -> list[str]:
        return [str(name) for name in self.classifier.classes_]

    def rank(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, every intent with its probability, most likely first."""
        probabilities = self.classifier.predict_proba(self.features(texts))
        return [
            sorted(zip(self.intents, map(float, row), strict=True), key=lambda pair: -pair[1])
            for row in probabilities
        ]

    def save(self, folder: Path) -> None:
        vocabulary = {
            "intents": self.intents,
            "longest_characters": self.characters.ngram_range[1],
            "longest_words": self.words.ngram_range[1],
            "placeholders": self.placeholders,
            "characters": _vocabulary(self.characters),
            "words": _vocabulary(self.words),
        }
        (folder / VOCABULARY_FILE).write_text(json.dumps(vocabulary, ensure_ascii=False))
        np.savez(
            folder / ARRAYS_FILE,
            characters_idf=self.characters.idf_,
            words_idf=self.words.idf_,
            coef=self.classifier.coef_,
            intercept=self.classifier.intercept_,
        )

    @classmethod
    def load(cls, folder: Path) -> IntentModel:
        vocabulary = json.loads((folder / VOCABULARY_FILE).read_text())
        with np.load(folder / ARRAYS_FILE, allow_pickle=False) as arrays:
            characters = _restored(
                _character_vectorizer(vocabulary["longest_characters"]),
                vocabulary["characters"],
                arrays["characters_idf"],
            )
            words = _restored(
                _word_vectorizer(vocabulary["longest_words"]),
                vocabulary["words"],
                arrays["words_idf"],
            )
            classifier = LogisticRegression()
            classifier.classes_ = np.array(vocabulary["intents"])
            classifier.coef_ = arrays["coef"]
            classifier.intercept_ = arrays["intercept"]
        return cls(characters, words, classifier, vocabulary.get("placeholders", "off"))


def _vocabulary(vectorizer: TfidfVectorizer) -> dict[str, int]:
    return {term: int(index) for term, index in vectorizer.vocabulary_.items()}


def _restored(
    vectorizer: TfidfVectorizer, vocabulary: dict[str, int], idf: npt.NDArray[np.float64]
) -> TfidfVectorizer:
    vectorizer.vocabulary_ = vocabulary
    vectorizer.idf_ = idf
    return vectorizer
