"""The widget's labels (addons/channels/labels.py): every text the widget shows has one
owner in content/, the page is rendered with them, escaped, and the widget's own files
hold no text. No server, no model."""

import asyncio
import html
import json
import re
from dataclasses import fields
from types import SimpleNamespace
from typing import Any

import pytest
from sanic.compat import Header

from addons.channels.labels import (
    BORROWED,
    LABELS_ELEMENT_ID,
    build_labels,
    label_at,
    labels_json,
    placeholders,
    render_page,
    widget_labels,
)
from addons.channels.page_headers import API_HEADERS
from addons.channels.webchat import PAGE_TEMPLATE, WEBCHAT_DIR, WebChatInput, rendered_page
from coach.casefile.documents import KINDS
from coach.casefile.model import CHANNELS
from coach.content import load_content
from coach.offer.planner import LENDER_TYPES, lump_sum_option, waiver_request
from coach.offer.presenter import lump_sum_payload
from coach.practice.collector_style import PERSONAS
from coach.practice.debrief import Comment
from coach.practice.scorer import WEIGHTS, Parts
from coach.practice.turn_reader import TEXT_NAMES, TurnReading

# The widget is native ES modules: widget.js, its entry point, and the modules beside it
# (every webchat/*.js but embed.js, the loader other sites include).
WIDGET_MODULES = sorted(path.name for path in WEBCHAT_DIR.glob("*.js") if path.name != "embed.js")
WIDGET_JS = "\n".join((WEBCHAT_DIR / name).read_text(encoding="utf-8") for name in WIDGET_MODULES)
EMBED_JS = (WEBCHAT_DIR / "embed.js").read_text(encoding="utf-8")
TEMPLATE = PAGE_TEMPLATE.read_text(encoding="utf-8")
LABELS = widget_labels()
# Chinese characters, and the CJK and full-width punctuation that goes with them.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


# --- Every label the widget uses exists ------------------------------------------------


def paths_in_widget() -> set[str]:
    """The label paths widget.js names: t("…") calls and every dotted string literal."""
    called = re.findall(r'(?<![\w.$])t\("([a-z_.]+)"', WIDGET_JS)
    dotted = re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', WIDGET_JS)
    return set(called) | set(dotted)


def test_every_path_the_widget_names_is_a_text():
    paths = paths_in_widget()
    assert len(paths) > 40, "the widget's texts are looked up by path"
    missing = sorted(path for path in paths if not isinstance(label_at(LABELS, path), str))
    assert missing == []


def test_every_group_the_widget_names_is_a_group_of_names():
    groups = set(re.findall(r'(?<![\w.$])label\("([a-z_]+)"', WIDGET_JS))
    assert groups == set(BORROWED)
    for group in groups:
        assert LABELS[group] and all(isinstance(text, str) for text in LABELS[group].values())


def test_every_placeholder_of_the_page_is_a_text():
    paths = placeholders(TEMPLATE)
    assert len(paths) >= 15
    for path in paths:
        assert isinstance(label_at(LABELS, path), str), path


def test_a_label_for_every_lender_type():
    lender_types = load_content("form")["lender_types"]
    assert set(lender_types) | set(LENDER_TYPES) <= set(LABELS["lenders"])


def test_a_label_for_every_waiver_the_planner_can_ask_for():
    codes = {code for lender in LENDER_TYPES for code in waiver_request(lender)}
    assert codes and codes <= set(LABELS["waivers"])


def test_a_label_for_every_persona_and_criterion():
    assert set(PERSONAS) <= set(LABELS["personas"])
    assert set(WEIGHTS) <= set(LABELS["criteria"])


def test_borrowed_labels_are_the_owners_texts():
    offer_texts, roleplay = load_content("offer_texts"), load_content("roleplay")
    assert LABELS["lenders"] == offer_texts["lender_labels"]
    assert LABELS["waivers"] == offer_texts["waiver_labels"]
    assert LABELS["personas"] == roleplay["personas"]
    assert LABELS["criteria"] == roleplay["criteria_labels"]
    assert LABELS["practice"] == roleplay["feedback"]
    assert LABELS["found"] == load_content("debrief")["replay"]["names"]
    assert LABELS["channels"] == load_content("casefile")["channel_labels"]


# --- The case file and the practice card (issues 16, 17) ---------------------------------


def test_a_kind_label_for_every_document_kind():
    kinds = LABELS["documents"]["kinds"]
    assert set(kinds) == set(KINDS)
    assert kinds == {
        "complaint_letter": "投诉信",
        "instalment_application": "分期申请",
        "action_plan": "行动计划",
        "escalation_complaint": "向监管部门的投诉",
        "contact_log": "联系记录",
    }


def test_a_label_for_every_way_of_contact():
    assert set(CHANNELS) <= set(LABELS["channels"])


def test_a_name_for_everything_the_turn_reader_can_find():
    """The replay (看回放) names each move of a turn; a missing one would show its code."""
    names = {item.name for item in fields(TurnReading)} - set(TEXT_NAMES)
    assert names and names <= set(LABELS["found"])


def test_a_label_for_each_part_of_the_score():
    parts = set(Parts(outcome=50, process=50, conduct=50).to_dict())
    assert parts == set(LABELS["score"]["parts"]) == {"outcome", "process", "conduct"}
    for name in parts:
        assert f'"score.parts.{name}"' in WIDGET_JS


def test_the_practice_sentences_the_card_borrows_exist():
    for key in ("unfinished", "no_outcome"):
        assert isinstance(LABELS["practice"][key], str) and LABELS["practice"][key]
        assert f'label("practice", "{key}")' in WIDGET_JS


def test_the_widget_reads_the_debrief_fields_the_trainer_sends():
    comment = Comment("error", "no_written", "strategic_closing", 2, "每月1500", "没有确认。", "请确认。")
    sent = comment.to_dict()
    for field in ("kind_text", "label_text", "turn", "quote", "comment", "say"):
        assert field in sent
        assert f"comment.{field}" in WIDGET_JS, field
    for field in ("turn.text", "turn.found", "turn.note", "turn.turn"):
        assert field in WIDGET_JS


def test_the_materials_dialog_has_its_texts_and_is_a_named_dialog():
    for path in (
        "page.materials",
        "materials.title",
        "materials.close",
        "materials.intro",
        "materials.empty",
        "materials.loading",
        "materials.failed",
        "materials.download_txt",
        "materials.download_pdf",
        "materials.download_failed",
    ):
        assert isinstance(label_at(LABELS, path), str), path
    dialog = re.search(r"<dialog\b([^>]*)>", TEMPLATE)
    assert dialog and 'aria-labelledby="materials-title"' in dialog.group(1)
    assert 'id="materials-title"' in TEMPLATE and 'aria-controls="materials-panel"' in TEMPLATE
    assert "showModal" in WIDGET_JS, "modal: the page behind is inert, Esc closes it"


def owners_with(widget: dict[str, Any]) -> dict[str, Any]:
    """Content files with empty tables for every borrowed group, and ``widget``."""
    return {
        "widget": widget,
        "offer_texts": {"lender_labels": {}, "waiver_labels": {}},
        "roleplay": {"personas": {}, "criteria_labels": {}, "feedback": {}},
        "debrief": {"replay": {"names": {}}},
        "casefile": {"channel_labels": {}},
    }


def test_a_borrowed_group_may_sit_further_down_its_file():
    contents = owners_with({"name": "x"})
    contents["debrief"]["replay"]["names"] = {"silent": "沉默"}
    assert build_labels(contents)["found"] == {"silent": "沉默"}


def test_widget_yml_may_not_hold_a_borrowed_group():
    contents = owners_with({"name": "x", "lenders": {"credit_card": "卡"}})
    with pytest.raises(ValueError, match="lenders"):
        build_labels(contents)


def test_the_widget_reads_the_lump_sum_fields_the_presenter_sends():
    lump = lump_sum_option(48000, 30000)
    assert lump is not None
    payload = lump_sum_payload(lump)
    assert set(payload) == {"available", "suggested_opening", "typical_range", "status"}
    for field in ("lump.available", "lump.suggested_opening", "lump.typical_range"):
        assert field in WIDGET_JS
    assert "isNumber(offer.lump_sum)" not in WIDGET_JS
    for key in ("available", "suggested", "low", "high"):
        assert "{" + key + "}" in LABELS["offer"]["lump_sum_value"]


# --- The widget's files hold no text ---------------------------------------------------


@pytest.mark.parametrize("name", [*WIDGET_MODULES, "index.html"])
def test_the_widget_files_hold_no_chinese_text(name):
    text = (WEBCHAT_DIR / name).read_text(encoding="utf-8")
    found = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    assert [(n, line) for n, line in found if CJK.search(line)] == []


def test_the_embed_loader_keeps_only_its_fallback_and_it_matches_content():
    lines = [line for line in EMBED_JS.splitlines() if CJK.search(line)]
    assert len(lines) == 1 and "FALLBACK" in lines[0], lines
    assert json.dumps(LABELS["name"], ensure_ascii=False) in lines[0]
    assert json.dumps(LABELS["embed"]["close"], ensure_ascii=False) in lines[0]
    assert "/webhooks/webchat/labels" in EMBED_JS


# --- The page is rendered with the labels, escaped -------------------------------------

HOSTILE = {
    "locale": "zh-CN",
    "name": '<script>alert("x")</script> & {{page.title}}',
    "page": {"title": "a \"quoted\" 'title'", "nested": {"deep": "x"}},
}


def test_the_page_render_escapes_html():
    page = render_page('<title>{{name}}</title><p title="{{page.title}}">', HOSTILE)
    assert "<script>" not in page
    assert html.escape(HOSTILE["name"], quote=True) in page
    assert "{{page.title}}" in page, "a label's text is not scanned for placeholders again"
    assert 'title="a &quot;quoted&quot; &#x27;title&#x27;"' in page


def test_the_labels_json_is_data_a_script_element_cannot_end_early():
    text = labels_json(HOSTILE)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == HOSTILE
    page = render_page('<script type="application/json">{{labels_json}}</script>', HOSTILE)
    assert page.count("</script>") == 1


@pytest.mark.parametrize("template", ["{{page.missing}}", "{{page.nested}}", "{{nothing}}"])
def test_a_placeholder_without_a_text_is_an_error(template):
    with pytest.raises(KeyError):
        render_page(template, HOSTILE)


def embedded_labels(page: str) -> Any:
    scripts = SCRIPT.findall(page)
    data = [body for attributes, body in scripts if f'id="{LABELS_ELEMENT_ID}"' in attributes]
    assert len(data) == 1
    return json.loads(data[0])


def test_the_served_page_has_every_text_and_the_labels_as_data():
    page = rendered_page()
    markup = SCRIPT.sub("", page)  # the labels' JSON may hold braces of its own
    assert "{{" not in markup and "}}" not in markup
    assert f'<html lang="{LABELS["locale"]}">' in page
    assert f"<title>{html.escape(LABELS['name'])}</title>" in page
    assert html.escape(LABELS["page"]["placeholder"]) in page
    assert embedded_labels(page) == json.loads(json.dumps(LABELS))


def test_the_served_page_runs_no_inline_script():
    """The labels element is data (type application/json): the browser runs nothing in
    it, so the policy's default-src 'self' still allows no inline script."""
    scripts = SCRIPT.findall(rendered_page())
    assert len(scripts) == 2
    for attributes, body in scripts:
        is_file = 'src="' in attributes and not body.strip()
        is_data = 'type="application/json"' in attributes and "src=" not in attributes
        assert is_file or is_data, attributes
    assert not re.search(r"\son[a-z]+\s*=", rendered_page(), re.I)


# --- The channel serves the page and the labels ----------------------------------------


class FakeRequest:
    def __init__(self, path: str):
        self.path = f"/webhooks/webchat/{path}"
        self.headers = Header({})
        self.cookies: dict[str, str] = {}
        self.args: dict[str, str] = {}
        self.ctx = SimpleNamespace()


@pytest.fixture
def api(tmp_path):
    return WebChatInput.from_credentials({"secret_file": str(tmp_path / "s")}).api()


def test_labels_are_served_as_json_any_site_may_read(api):
    answer = run(api.labels(FakeRequest("labels")))
    assert answer.status == 200 and json.loads(answer.body) == json.loads(json.dumps(LABELS))
    for name, value in API_HEADERS.items():
        assert answer.headers[name] == value
    assert answer.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("how", ["page", "static"])
def test_the_page_is_served_rendered_with_the_page_headers(api, how):
    if how == "page":
        answer = run(api.page(FakeRequest("")))
    else:
        answer = run(api.static(FakeRequest("static/index.html"), "index.html"))
    assert answer.status == 200 and answer.body.decode("utf-8") == rendered_page()
    assert answer.content_type.startswith("text/html")
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy


# --- Limits and hotlines the widget shares with the server ------------------------------


def test_the_widgets_message_limit_is_the_servers():
    from addons.channels.guard import MAX_MESSAGE_LENGTH

    assert re.search(rf"(?:var|const) MAX_MESSAGE = {MAX_MESSAGE_LENGTH};", WIDGET_JS)
    assert re.search(r"(?:var|const) COUNTER_FROM = 800;", WIDGET_JS)


def test_the_hotlines_are_the_numbers_of_the_facts():
    facts = load_content("facts")["facts"]
    numbers = {str(fact["number"]) for fact in facts if fact.get("number")}
    assert set(LABELS["hotlines"]) == numbers >= {"12378", "12356", "110", "120", "12363", "12348"}
    assert LABELS["hotlines"] == sorted(numbers, key=lambda n: (-len(n), n)), "longest first"
    assert all(number.isdigit() for number in LABELS["hotlines"])


def test_widget_yml_may_not_hold_the_hotlines():
    contents = owners_with({"name": "x", "hotlines": ["1"]})
    with pytest.raises(ValueError, match="hotlines"):
        build_labels(contents)


def test_the_embed_loader_has_no_emoji_and_checks_origins():
    assert "\U0001f4ac" not in EMBED_JS and "createElementNS" in EMBED_JS
    assert "event.origin !== SERVER_ORIGIN" in EMBED_JS
    assert "event.source !== frame.contentWindow" in EMBED_JS
    assert "event.origin !== state.host" in WIDGET_JS
