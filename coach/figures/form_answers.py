"""Reads an answer to one question of the repayment form as people give it.

The NLU's entities catch "3个月" or "6000". People also answer "0" or "还没逾期" to 逾期多久,
a range ("六七千": the lower figure, said back), "没有，钱都交房租了" to savings, the pause
button's own words typed ("先停一下"), or "不知道". ``read_form_answer`` turns such a reply
into a value, a pause, or "doesn't know"; None when it is none of these.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from coach.content import load_content
from coach.figures.form_text import plain_number
from coach.figures.money import AMOUNT, DURATION, find_numbers, find_range
from coach.figures.slots import slot_kind
from coach.language.normalise import normalise

VALUE, PAUSE, DONT_KNOW = "value", "pause", "dont_know"

_PUNCTUATION = re.compile(r"[\s,.!?;:，。！？；：、~…]+")
_QUESTION = re.compile(r"[?？]|吗|怎么|什么|为什么|要不要|会不会|能不能|可不可以|是不是|咋")
_SHORT = 10  # "不知道" is an answer; a longer line with it is a question or a story


@dataclass(frozen=True)
class FormAnswer:
    """``kind`` is value, pause or dont_know; ``note`` says how a value was read (a range)."""

    kind: str
    value: float | None = None
    note: str | None = None


@cache
def _answers() -> dict[str, Any]:
    answers: dict[str, Any] = load_content("form")["answers"]
    return answers


def _words(key: str) -> list[str]:
    return [str(word) for word in _answers()[key]]


def _starts_with(text: str, key: str) -> bool:
    return any(text.startswith(word) for word in _words(key))


def says_pause(text: str) -> bool:
    """The pause button's words typed ("先停一下"), alone."""
    return _PUNCTUATION.sub("", normalise(text)) in _words("pause_words")


def read_form_answer(slot: str, text: str) -> FormAnswer | None:
    """The answer ``text`` gives to the form's question for ``slot``, or None."""
    if text.startswith("/") or _QUESTION.search(text):
        return None
    plain = _PUNCTUATION.sub("", normalise(text))
    if not plain:
        return None
    if says_pause(plain):
        return FormAnswer(PAUSE)
    if _says_dont_know(plain):
        return FormAnswer(DONT_KNOW)
    kind = slot_kind(slot)
    if kind == "months":
        return _months(plain)
    if kind == "amount":
        return _amount(slot, plain)
    return None


def _says_dont_know(plain: str) -> bool:
    short = len(plain) <= _SHORT and not find_numbers(plain)
    return short and any(word in plain for word in _words("dont_know_words"))


def _months(plain: str) -> FormAnswer | None:
    if any(word in plain for word in _words("not_overdue_words")):
        return FormAnswer(VALUE, 0.0)
    found = _range("months_overdue", plain, DURATION, months=True)
    if found is not None:
        return found
    numbers = find_numbers(plain)
    if len(numbers) == 1 and numbers[0].kind == AMOUNT and numbers[0].text.strip() == plain:
        return FormAnswer(VALUE, numbers[0].value)  # "0", "3": the prompt asks in months
    return None


def _amount(slot: str, plain: str) -> FormAnswer | None:
    found = _range(slot, plain, AMOUNT, months=False)
    if found is not None:
        return found
    if slot in _words("nothing_slots") and _starts_with(plain, "nothing_words"):
        if not find_numbers(plain):
            return FormAnswer(VALUE, 0.0)
    return None


def _range(slot: str, plain: str, kind: str, months: bool) -> FormAnswer | None:
    found = find_range(plain)
    if found is None or (found.kind != kind and not months):
        return None
    high = slot in _words("range_takes_high")
    value = found.high if high else found.low
    unit = "个月" if months else "元"
    said = found.text if found.text.endswith(unit[-1]) else found.text + unit.rstrip("元")
    template = str(_answers()["range_note_high" if high else "range_note"])
    return FormAnswer(VALUE, value, template.format(range=said, value=plain_number(value) + unit))


def skip_default(slot: str) -> float | None:
    """The value a skipped figure takes, or None when it has no safe one."""
    defaults: dict[str, Any] = _answers()["skip_defaults"]
    value = defaults.get(slot)
    return None if value is None else float(value)


def choice_text(slot: str) -> str:
    """Skip with the safe default, or pause; pause alone when there is no safe default."""
    answers = _answers()
    if skip_default(slot) is None:
        return str(answers["stop_only"])
    return str(answers["skip_offer"]).format(default=answers["default_texts"][slot])


def dont_know_text(slot: str) -> str:
    return str(_answers()["dont_know"]).format(choice=choice_text(slot))


def missed_twice_text(slot: str) -> str:
    return str(_answers()["missed_twice"]).format(choice=choice_text(slot))


def button_titles() -> tuple[str, str]:
    """The titles of the skip and pause buttons offered with those texts."""
    answers = _answers()
    return str(answers["skip_button"]), str(answers["pause_button"])
