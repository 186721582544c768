"""GET /webhooks/webchat/documents[/<id>]: the conversation's own documents, to its owner."""

import asyncio
import io
import json
import re
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from pypdf import PdfReader
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic.compat import Header

from addons.channels import documents as routes
from addons.channels.ownership import COOKIE_NAME, HEADER_NAME
from addons.channels.webchat import FORBIDDEN, WebChatInput, forbidden
from coach.casefile import pdf
from coach.casefile.slot import StoredDocument, document_to_slot

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet"],
        "slots": {"documents": {"type": "any", "mappings": [{"type": "custom"}]}},
    }
)
LETTER = StoredDocument(
    "doc-0123456789abcdef",
    "complaint_letter",
    "关于违规催收的投诉信",
    "关于违规催收的投诉信\n\n一、经过\n1. 2026年11月29日 23:10，电话，王某，工号1234：骂我\n   可能违反：夜间催收",
    "2026-11-30T10:00",
)
OTHER = StoredDocument("doc-fedcba9876543210", "action_plan", "我的还款行动计划", "计划", "2026-11-30T10:00")


def run(coroutine):
    return asyncio.run(coroutine)


class Request:
    def __init__(self, agent, args, headers=None, cookies=None):
        self.app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))
        self.args = args
        self.headers = Header(headers or {})
        self.cookies = cookies or {}


class Server:
    """The web chat's keys and an in-memory store holding two widget conversations."""

    def __init__(self, tmp_path):
        self.web = WebChatInput.from_credentials({"secret_file": str(tmp_path / "secret")}).api()
        self.agent = SimpleNamespace(tracker_store=InMemoryTrackerStore(DOMAIN))
        self.api = routes.DocumentsApi(self.web.owns, forbidden)
        self.alice, self.alices = self.web.keys.new_conversation()
        self.bob, self.bobs = self.web.keys.new_conversation()
        self.save(self.alice, [LETTER])
        self.save(self.bob, [OTHER])

    def save(self, sender, kept):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        tracker.update(UserUttered("你好", {"name": "greet", "confidence": 1.0}))
        tracker.update(SlotSet("documents", [document_to_slot(d) for d in kept]))
        run(self.agent.tracker_store.save(tracker))

    def get(self, document_id=None, sender=None, credential=None, how="cookie", **args):
        args = {"sender": sender, **args} if sender is not None else dict(args)
        headers, cookies = {}, {}
        if credential is not None:
            if how == "cookie":
                cookies[COOKIE_NAME] = credential
            else:
                headers[HEADER_NAME] = credential
        request = Request(self.agent, args, headers, cookies)
        if document_id is None:
            return run(self.api.list(request))
        return run(self.api.one(request, document_id))


@pytest.fixture
def server(tmp_path):
    return Server(tmp_path)


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_the_owner_downloads_the_text_file(server, how):
    answer = server.get(LETTER.id, server.alice, server.alices, how)
    assert answer.status == 200
    assert answer.body.decode("utf-8") == LETTER.text
    assert answer.content_type == "text/plain; charset=utf-8"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="complaint_letter-2026-11-30.txt"')
    name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert name == "关于违规催收的投诉信-2026-11-30.txt"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "case",
    ["no credential", "a wrong credential", "another conversation's credential", "no sender"],
)
def test_without_the_conversations_credential_it_is_the_one_403(server, case):
    sender, credential = {
        "no credential": (server.alice, None),
        "a wrong credential": (server.alice, server.alice + "." + "A" * 43),
        "another conversation's credential": (server.alice, server.bobs),
        "no sender": (None, server.alices),
    }[case]
    for document_id in (LETTER.id, None):
        answer = server.get(document_id, sender, credential)
        assert answer.status == 403 and json.loads(answer.body) == FORBIDDEN


def test_another_conversations_document_is_not_found(server):
    answer = server.get(OTHER.id, server.alice, server.alices)
    assert answer.status == 404 and json.loads(answer.body)["error"] == "not_found"
    assert server.get(OTHER.id, server.bob, server.bobs).status == 200
    for bad in ("../../etc/passwd", "doc-short", "DOC-0123456789ABCDEF"):
        assert server.get(bad, server.alice, server.alices).status == 404


def test_a_conversation_without_documents_and_a_bad_format(server):
    stranger, credential = server.web.keys.new_conversation()
    assert server.get(LETTER.id, stranger, credential).status == 404
    answer = server.get(LETTER.id, server.alice, server.alices, format="docx")
    assert answer.status == 400 and json.loads(answer.body)["error"] == "bad_format"


def test_the_list_for_the_widgets_panel(server):
    answer = server.get(None, server.alice, server.alices)
    assert json.loads(answer.body) == {
        "sender": server.alice,
        "documents": [
            {
                "id": LETTER.id,
                "kind": "complaint_letter",
                "title": LETTER.title,
                "created_at": LETTER.created_at,
                "download": f"/webhooks/webchat/documents/{LETTER.id}",
            }
        ],
    }


@pytest.mark.skipif(not pdf.font_available(), reason="no Chinese font installed")
def test_the_owner_downloads_the_pdf(server):
    answer = server.get(LETTER.id, server.alice, server.alices, format="pdf")
    assert answer.status == 200 and answer.content_type == "application/pdf"
    assert answer.headers["Content-Disposition"].endswith("-2026-11-30.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.body)).pages)
    assert "王某，工号1234" in text and "夜间催收" in text


def test_without_a_font_the_pdf_is_a_503_and_the_text_still_works(server, monkeypatch, tmp_path):
    monkeypatch.setenv(pdf.FONT_ENV, str(tmp_path / "none.ttf"))
    answer = server.get(LETTER.id, server.alice, server.alices, format="pdf")
    assert answer.status == 503 and json.loads(answer.body)["error"] == "pdf_unavailable"
    assert "format=txt" in json.loads(answer.body)["message"]
    assert server.get(LETTER.id, server.alice, server.alices).status == 200


def test_the_routes_are_on_the_web_chats_blueprint(tmp_path):
    channel = WebChatInput.from_credentials({"secret_file": str(tmp_path / "secret")})

    async def on_new_message(message):
        return None

    blueprint = channel.blueprint(on_new_message)
    uris = {route.uri for route in blueprint._future_routes}
    assert {"/documents", "/documents/<document_id>"} <= uris
