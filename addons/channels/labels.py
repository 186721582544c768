"""The web chat widget's texts, each from the content file that owns it. No Rasa import.

``build_labels`` merges content/widget.yml (the widget's own texts) with the labels other
content files own: lender and waiver names (offer_texts.yml), practice opponents, scoring
criteria and the practice round's own sentences (roleplay.yml), what the turn reader found
(debrief.yml) and the ways a collector made contact (casefile.yml). The channel fills index.html's ``{{group.key}}``
placeholders with them (HTML-escaped) and puts the whole dict into the page as JSON data
(``<script type="application/json" id="coach-labels">``), so widget.js holds no text of
its own; ``GET /webhooks/webchat/labels`` serves the same dict (webchat/README.md).
"""

import html
import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from coach.content import load_content

# Groups owned by other content files: group -> (content file, key in it; a dotted key
# for a table further down).
BORROWED = {
    "lenders": ("offer_texts", "lender_labels"),
    "waivers": ("offer_texts", "waiver_labels"),
    "personas": ("roleplay", "personas"),
    "criteria": ("roleplay", "criteria_labels"),
    "practice": ("roleplay", "feedback"),
    "found": ("debrief", "replay.names"),
    "channels": ("casefile", "channel_labels"),
}
# Not a table of names: the hotline numbers of content/facts.yml's facts (their
# ``number``), which the widget turns into tel: links in the coach's text.
HOTLINES = "hotlines"
LABELS_ELEMENT_ID = "coach-labels"
# The one placeholder of index.html that is no label: the labels as JSON.
LABELS_JSON = "labels_json"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}")

Labels = dict[str, Any]


def build_labels(contents: Mapping[str, Mapping[str, Any]]) -> Labels:
    """Every label of the widget: ``contents["widget"]`` plus the borrowed groups.

    ``contents`` maps a content file's name to its parsed data (as ``load_content``
    gives it). A borrowed group must not also be in widget.yml: one owner per text.
    """
    labels = dict(contents["widget"])
    for group, (file_name, key) in BORROWED.items():
        if group in labels:
            raise ValueError(f"content/widget.yml must not hold {group!r}: {file_name}.yml does")
        table = label_at(contents[file_name], key)
        labels[group] = {str(code): str(text) for code, text in table.items()}
    if HOTLINES in labels:
        raise ValueError("content/widget.yml must not hold 'hotlines': facts.yml does")
    if "facts" in contents:
        labels[HOTLINES] = hotline_numbers(contents["facts"])
    return labels


def hotline_numbers(facts: Mapping[str, Any]) -> list[str]:
    """The distinct phone numbers of the facts (``number``), longest first."""
    numbers = {
        str(fact["number"]).strip()
        for fact in facts.get("facts") or []
        if isinstance(fact, Mapping) and fact.get("number")
    }
    return sorted((n for n in numbers if n), key=lambda n: (-len(n), n))


@cache
def widget_labels() -> Labels:
    """The labels from the content files, built once per process."""
    names = {"widget", "facts", *(file_name for file_name, _ in BORROWED.values())}
    return build_labels({name: load_content(name) for name in names})


def label_at(labels: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``page.title``); KeyError when there is none."""
    value: Any = labels
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(f"no widget label {path!r}")
        value = value[part]
    return value


def labels_json(labels: Mapping[str, Any]) -> str:
    """The labels as JSON that is safe inside a ``<script>`` element: no ``<`` at all."""
    text = json.dumps(labels, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(template: str, labels: Mapping[str, Any]) -> str:
    """index.html with every ``{{path}}`` replaced by its label, HTML-escaped.

    ``{{labels_json}}`` becomes the labels as JSON (for the data element). A placeholder
    without a text label is a KeyError, so a typo fails at once rather than on screen.
    """

    def fill(match: re.Match[str]) -> str:
        path = match.group(1)
        if path == LABELS_JSON:
            return labels_json(labels)
        value = label_at(labels, path)
        if not isinstance(value, str):
            raise KeyError(f"widget label {path!r} is not a text")
        return html.escape(value, quote=True)

    return PLACEHOLDER.sub(fill, template)


def placeholders(template: str) -> list[str]:
    """The label paths a template uses, in order (``labels_json`` left out)."""
    return [path for path in PLACEHOLDER.findall(template) if path != LABELS_JSON]
