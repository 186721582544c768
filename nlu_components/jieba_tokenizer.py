"""JiebaTokenizer without whitespace tokens (the empty-token failure, Rasa issue 7910).

Kept for the tokenizer comparison in README.md ("Tokenizer choice"); config.yml uses
the spaCy pipeline, which measured better.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        import jieba

        text = message.get(attribute) or ""
        tokens = [Token(word, start) for word, start, _ in jieba.tokenize(text) if word.strip()]
        return self._apply_token_pattern(tokens)
