"""The WeChat channel against a simulated WeChat server, with a fake bot (no model)."""

import asyncio
import json
import logging
import time
from types import SimpleNamespace

import pytest
import xmltodict
from aiohttp import web
from aiohttp.test_utils import TestServer
from sanic import Sanic
from wechatpy import crypto as wechat_crypto
from wechatpy.crypto import WeChatCrypto

from addons.channels.ownership import ConversationKeys
from addons.channels.wechat.channel import WeChatApi, WeChatInput, WeChatSettings
from addons.channels.wechat.protocol import MAX_BODY_BYTES
from addons.channels.wechat.render import wechat_texts
from tests.support.wechat import AES_KEY, APP_ID, WeChatSimulator

TOKEN = "coach-token"
OPENID = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
MORE = "回复「继续」看下文"
CRISIS_TEXT = "听到你这么说，我很担心你。请现在就打 12356。"


class FakeBot:
    """Answers each message with ``replies(text)``; records what it was asked."""

    def __init__(self, replies=None, seconds=0.0):
        self.asked: list[str] = []
        self.replies = replies or (lambda text: [{"text": f"收到：{text}"}])
        self.seconds = seconds

    async def __call__(self, message):
        self.asked.append(message.text)
        await asyncio.sleep(self.seconds)
        for said in self.replies(message.text):
            await message.output_channel.send_response(message.sender_id, dict(said))


def agent():
    return SimpleNamespace(domain=None, is_ready=lambda: False, lock_store=None)


def make_api(aes_key=None, mode="passive", api_base="", token=TOKEN):
    settings = WeChatSettings(
        token=token,
        app_id=APP_ID,
        app_secret="secret",
        aes_key=aes_key or "",
        mode=mode,
        api_base=api_base,
        public_url="https://coach.example",
    )
    return WeChatApi(settings, ConversationKeys(b"k" * 32))


def request(query, body=b"", **extra):
    ctx = SimpleNamespace(agent=agent())
    return SimpleNamespace(
        args=query,
        body=body,
        headers={},
        scheme="https",
        host="coach.example",
        app=SimpleNamespace(ctx=ctx),
        **extra,
    )


class Channel:
    """The simulator wired straight into the channel's handlers."""

    def __init__(self, api, bot, aes_key=None):
        self.api, self.bot = api, bot
        self.wechat = WeChatSimulator(TOKEN, aes_key)

    async def post(self, xml=None, safe=False, query=None, body=None, **fields):
        xml = xml if xml is not None else self.wechat.message_xml(OPENID, **fields)
        signed_query, signed_body = self.wechat.request(xml, safe)
        answer = await self.api.receive(
            request(
                query if query is not None else signed_query,
                body if body is not None else signed_body,
            ),
            self.bot,
        )
        return self.wechat.read(answer.status, answer.body, safe)

    async def say(self, text, **fields):
        return await self.post(content=text, **fields)


def run(coroutine):
    return asyncio.run(coroutine)


# --- safe mode against WeChat's published vectors ---------------------------------------


def test_safe_mode_decrypts_wechats_sample_message():
    """WeChat's own sample (WXBizMsgCrypt demo): token spamtest, appid wx2c2769f8efd9abc2."""
    encrypted = (
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PG"
        "HQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6"
        "tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp"
        "3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhv"
        "Ql+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
    )
    settings = WeChatSettings(token="spamtest", aes_key=AES_KEY, app_id="wx2c2769f8efd9abc2")
    api = WeChatApi(settings, ConversationKeys(b"k" * 32))
    body = f"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    query = {
        "encrypt_type": "aes",
        "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
        "timestamp": "1409735669",
        "nonce": "1320562132",
    }
    plain = xmltodict.parse(api.plaintext(request(query, body.encode())))["xml"]
    assert plain["Content"] == "abcdteT"
    assert plain["MsgId"] == "6054768590064713728"
    query["msg_signature"] = "5d197aaffba7e9b25a30732f161a50dee96bd5fb"
    with pytest.raises(Exception) as refused:
        api.plaintext(request(query, body.encode()))
    assert type(refused.value).__name__ == "Forbidden"


def test_safe_mode_encrypts_as_wechatpys_test_vector(monkeypatch):
    """wechatpy's tests/test_crypto.py vector (random string fixed to 1234567890123456)."""
    monkeypatch.setattr(
        wechat_crypto.PrpCrypto, "get_random_string", lambda self: "1234567890123456"
    )
    reply = (
        "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n"
        "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n"
        "<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n"
        "<CreateTime>1411525903</CreateTime>\n</xml>"
    )
    crypto = WeChatCrypto(
        "123456", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a"
    )
    encrypted = xmltodict.parse(crypto.encrypt_message(reply, "461056294", "1411525903"))["xml"]
    assert encrypted["MsgSignature"] == "407518b7649e86ef23978113f92d27afa9296533"
    assert encrypted["Encrypt"].startswith("9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaq")


# --- configuration and verification ------------------------------------------------------


def test_without_a_token_the_webhook_says_it_is_not_configured():
    api = make_api(token=None)
    wechat = WeChatSimulator("anything")
    for answer in (
        run(api.verify(request(wechat.verification()))),
        run(api.receive(request(*wechat.request(wechat.message_xml(OPENID, "hi"))), FakeBot())),
    ):
        assert answer.status == 503
        assert b"not configured" in answer.body


def test_verification_echoes_echostr_only_with_the_right_signature():
    api, wechat = make_api(), WeChatSimulator(TOKEN)
    answer = run(api.verify(request(wechat.verification("abc123"))))
    assert (answer.status, answer.body) == (200, b"abc123")
    wrong = dict(wechat.verification("abc123"), nonce="1")
    assert run(api.verify(request(wrong))).status == 403
    assert run(api.verify(request({"echostr": "abc123"}))).status == 403


def test_the_channel_takes_its_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WECHAT_TOKEN", "t")
    monkeypatch.setenv("WECHAT_MODE", "push")
    monkeypatch.setenv("WECHAT_API_BASE", "http://127.0.0.1:9")
    settings = WeChatSettings.from_environment()
    assert (settings.token, settings.mode, settings.api_base) == ("t", "push", "http://127.0.0.1:9")
    monkeypatch.setenv("WECHAT_MODE", "loud")
    with pytest.raises(ValueError):
        WeChatSettings.from_environment()
    monkeypatch.setenv("WECHAT_MODE", "passive")
    app = Sanic("wechat_routes_test")
    channel = WeChatInput(secret_path=tmp_path / "secret")
    app.blueprint(channel.blueprint(FakeBot()), url_prefix="/webhooks/wechat")
    app.router.finalize()
    paths = {f"/{route.path}" for route in app.router.routes}
    assert "/webhooks/wechat/webhook" in paths


# --- messages -----------------------------------------------------------------------------


def test_a_text_message_gets_one_reply_with_sender_and_receiver_swapped():
    bot = FakeBot()
    reply = run(Channel(make_api(), bot).say("信用卡欠了3万"))
    assert reply.status == 200
    assert reply.fields["ToUserName"] == OPENID
    assert reply.fields["FromUserName"] == "gh_0123456789ab"
    assert reply.fields["MsgType"] == "text"
    assert reply.content == "收到：信用卡欠了3万"
    assert bot.asked == ["信用卡欠了3万"]


def test_safe_mode_message_and_reply_round_trip():
    bot = FakeBot()
    channel = Channel(make_api(aes_key=AES_KEY), bot, aes_key=AES_KEY)
    reply = run(channel.say("你好", safe=True))
    assert reply.content == "收到：你好"  # read() checked the reply's MsgSignature


def test_a_bad_signature_is_refused_and_runs_nothing():
    bot = FakeBot()
    channel = Channel(make_api(aes_key=AES_KEY), bot, aes_key=AES_KEY)
    xml = channel.wechat.message_xml(OPENID, "你好")
    query, body = channel.wechat.request(xml)

    async def refused():
        bad = dict(query, signature="0" * 40)
        return [
            (await channel.api.receive(request(bad, body), bot)).status,
            (await channel.api.receive(request({}, body), bot)).status,
        ]

    assert run(refused()) == [403, 403]
    safe_query, safe_body = channel.wechat.request(xml, safe=True)
    safe_query["msg_signature"] = "1" * 40
    assert run(channel.api.receive(request(safe_query, safe_body), bot)).status == 403
    assert bot.asked == []


BAD_BODIES = {
    "empty": b"",
    "spaces": b"   \n",
    "not xml": b"hello",
    "json": b'{"Content": "hi"}',
    "broken xml": b"<xml><Content>hi</xml>",
    "no xml root": b"<message><Content>hi</Content></message>",
    "entity": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>',
    "missing fields": b"<xml><Content>hi</Content></xml>",
    "oversized": b"<xml><Content>" + b"a" * MAX_BODY_BYTES + b"</Content></xml>",
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_malformed_bodies_get_a_4xx_and_run_nothing(name):
    bot = FakeBot()
    channel = Channel(make_api(aes_key=AES_KEY), bot, aes_key=AES_KEY)
    reply = run(channel.post(body=BAD_BODIES[name], query=channel.wechat.signed()))
    assert 400 <= reply.status < 500
    safe = run(
        channel.post(
            body=BAD_BODIES[name],
            query=channel.wechat.signed(encrypt_type="aes", msg_signature="x"),
        )
    )
    assert 400 <= safe.status < 500
    assert bot.asked == []


def test_safe_mode_without_an_aes_key_is_a_4xx():
    channel = Channel(make_api(), FakeBot(), aes_key=AES_KEY)
    assert run(channel.say("hi", safe=True)).status == 400


def test_a_retry_with_the_same_msg_id_gets_the_same_reply_and_runs_nothing():
    bot = FakeBot(seconds=0.05)
    channel = Channel(make_api(), bot)

    async def with_retries():
        first, second = await asyncio.gather(
            channel.say("第一句", msg_id="7000000000000000001"),
            channel.say("第一句", msg_id="7000000000000000001"),
        )
        third = await channel.say("第一句", msg_id="7000000000000000001")
        other = await channel.say("第一句", msg_id="7000000000000000002")
        return first, second, third, other

    first, second, third, other = run(with_retries())
    assert first.content == second.content == third.content == "收到：第一句"
    assert other.content == "收到：第一句"
    assert bot.asked == ["第一句", "第一句"]  # one turn for ...001, one for ...002


def test_events_are_deduplicated_by_sender_and_create_time():
    bot = FakeBot(lambda text: [{"text": "欢迎关注"}])
    channel = Channel(make_api(), bot)

    async def subscribe_twice():
        first = await channel.post(kind="event", event="subscribe", created="1700000000")
        again = await channel.post(kind="event", event="subscribe", created="1700000000")
        return first, again

    first, again = run(subscribe_twice())
    assert first.content == again.content == "欢迎关注"
    assert bot.asked == ["/" + wechat_texts()["welcome_intent"]]


def test_unsubscribe_runs_nothing_and_answers_success():
    bot = FakeBot()
    reply = run(Channel(make_api(), bot).post(kind="event", event="unsubscribe"))
    assert (reply.status, reply.body) == (200, b"success")
    assert bot.asked == []


@pytest.mark.parametrize("kind", ["image", "voice", "video", "location", "link", "file"])
def test_other_message_types_get_a_friendly_text(kind):
    bot = FakeBot()
    reply = run(Channel(make_api(), bot).post(kind=kind))
    assert reply.content == wechat_texts()["not_text"]
    assert bot.asked == []


def test_empty_and_overlong_texts_are_answered_by_the_input_checks():
    bot = FakeBot()
    channel = Channel(make_api(), bot)
    assert "请输入" in run(channel.say("   ")).content
    assert "有点长" in run(channel.say("欠" * 1500)).content
    assert bot.asked == []


# --- long replies, crisis first -----------------------------------------------------------


def long_answer(text):
    if text == "/express_crisis":
        return [
            {"text": "先说一件事。" * 100},
            {"text": CRISIS_TEXT, "utter_action": "utter_crisis"},
        ]
    return [{"text": f"第{i}段：" + "还款方案的说明。" * 30} for i in range(1, 8)]


def test_a_long_answer_is_cut_at_2048_bytes_and_continues_on_request():
    bot = FakeBot(long_answer)
    channel = Channel(make_api(), bot)

    async def read_all():
        parts = [await channel.say("怎么还")]
        while MORE in parts[-1].content:
            parts.append(await channel.say("继续"))
        parts.append(await channel.say("继续"))
        return parts

    parts = run(read_all())
    assert len(parts) >= 3
    for part in parts:
        assert len(part.content.encode("utf-8")) <= 2048
    shown = "".join(p.content for p in parts)
    for i in range(1, 8):
        assert f"第{i}段" in shown
    assert parts[-1].content == wechat_texts()["nothing_more"]
    assert bot.asked == ["怎么还"]  # 继续 read what was kept; the bot was asked once


def test_the_crisis_text_comes_first_and_whole():
    bot = FakeBot(long_answer)
    reply = run(Channel(make_api(), bot).say("/express_crisis"))
    assert reply.content.startswith(CRISIS_TEXT)
    assert len(reply.content.encode("utf-8")) <= 2048


def test_the_real_crisis_responses_fit_one_reply_with_their_buttons():
    import yaml

    from coach.paths import ROOT

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name in wechat_texts()["urgent_responses"]:
        for variation in domain["responses"][name]:
            bot = FakeBot(lambda _t, v=variation, n=name: [{**v, "utter_action": n}])
            reply = run(Channel(make_api(), bot).say("我不想活了"))
            assert reply.content.startswith(variation["text"].strip())
            assert MORE not in reply.content


# --- buttons ------------------------------------------------------------------------------


def with_buttons(text):
    if text.startswith("/"):
        return [{"text": f"按钮送来了 {text}"}]
    return [
        {
            "text": "你想先做什么？",
            "buttons": [
                {"title": "算还款方案", "payload": "/request_repayment_plan"},
                {"title": "信用卡", "payload": '/inform_finances{"lender_type": "credit_card"}'},
            ],
        }
    ]


def test_buttons_become_menu_links_and_a_tap_sends_the_payload():
    bot = FakeBot(with_buttons)
    channel = Channel(make_api(), bot)

    async def tap():
        shown = await channel.say("你好")
        links = dict(
            (title, menu_id)
            for menu_id, title in __import__("re").findall(
                r'msgmenuid=([0-9a-f]+)">([^<]+)</a>', shown.content
            )
        )
        tapped = await channel.say("信用卡", menu_id=links["信用卡"])
        return shown, links, tapped

    shown, links, tapped = run(tap())
    assert 'href="weixin://bizmsgmenu?msgmenucontent=算还款方案&amp;msgmenuid=' in shown.content
    assert set(links) == {"算还款方案", "信用卡"}
    assert "/inform_finances" not in shown.content and "lender_type" not in shown.content
    assert bot.asked[-1] == '/inform_finances{"lender_type": "credit_card"}'
    assert "按钮送来了" in tapped.content


def test_a_tap_on_an_unknown_menu_id_is_read_as_its_title():
    bot = FakeBot()
    run(Channel(make_api(), bot).say("算还款方案", menu_id="ffff99"))
    assert bot.asked == ["算还款方案"]


# --- payloads, documents, identity ----------------------------------------------------------


def offer_and_document(_text):
    return [
        {"text": "方案算好了。"},
        {
            "custom": {
                "type": "repayment_offer",
                "balance": 50000,
                "disposable_monthly": 3500,
                "opening_monthly": 1800,
                "ceiling_monthly": 2600,
                "opening_term_months": 28,
                "ceiling_term_months": 20,
                "feasible": True,
                "lump_sum": None,
            }
        },
        {
            "custom": {
                "type": "document",
                "kind": "complaint_letter",
                "title": "投诉信",
                "text": "全文",
                "download": "/webhooks/webchat/documents/doc1a2b3c",
            }
        },
    ]


def test_offer_figures_in_plain_text_and_a_document_link_only_its_owner_opens():
    api = make_api()
    reply = run(Channel(api, FakeBot(offer_and_document)).say("给我方案"))
    assert "每月 1800 元，分 28 期" in reply.content and "每月 2600 元，分 20 期" in reply.content
    link = __import__("re").search(r"https://coach\.example(\S+)", reply.content).group(1)
    path, _, query = link.partition("?")
    args = dict(pair.split("=", 1) for pair in query.split("&"))
    assert path == "/webhooks/wechat/documents/doc1a2b3c"
    sender = args["sender"]
    assert api.owns(request({"key": args["key"]}), sender)
    assert not api.owns(request({}), sender)
    other = api.sender_of("someone-else")
    assert not api.owns(request({"key": args["key"]}), other)


def test_the_conversation_id_is_a_hash_of_the_openid():
    api = make_api()
    sender = api.sender_of(OPENID)
    assert sender.startswith("wx-") and OPENID not in sender and len(sender) == 35
    assert api.sender_of(OPENID) == sender != api.sender_of(OPENID + "x")
    assert make_api().sender_of(OPENID) == sender  # same secret, same id
    other_keys = WeChatApi(WeChatSettings(token=TOKEN), ConversationKeys(b"z" * 32))
    assert other_keys.sender_of(OPENID) != sender


def test_no_message_text_is_logged_at_info(caplog):
    caplog.set_level(logging.INFO)
    run(Channel(make_api(), FakeBot(long_answer)).say("我的身份证号码是秘密"))
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "身份证" not in logged and OPENID not in logged


# --- the 5 s budget -----------------------------------------------------------------------


def test_a_slow_turn_is_answered_in_time_and_its_reply_kept_for_continue():
    bot = FakeBot(seconds=0.6)
    api = make_api()
    api.budget = 0.2
    channel = Channel(api, bot)

    async def slow():
        started = time.monotonic()
        first = await channel.say("慢慢说")
        took = time.monotonic() - started
        await asyncio.sleep(0.6)
        later = await channel.say("继续")
        return first, took, later

    first, took, later = run(slow())
    assert took < 0.5
    assert first.content == wechat_texts()["still_thinking"]
    assert later.content == "收到：慢慢说"
    assert bot.asked == ["慢慢说"]


# --- push mode against a fake customer-service API ------------------------------------------


class FakeWeChatApi:
    """WeChat's token and customer-service endpoints, with the 5-message quota."""

    def __init__(self, refuse_with=None, token_seconds=7200):
        self.refuse_with, self.token_seconds = refuse_with, token_seconds
        self.tokens_issued = 0
        self.sent: list[dict] = []
        self.expired: set[str] = set()

    async def token(self, request):
        self.tokens_issued += 1
        return web.json_response(
            {"access_token": f"token-{self.tokens_issued}", "expires_in": self.token_seconds}
        )

    async def send(self, request):
        token = request.query.get("access_token")
        if token in self.expired:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        if self.refuse_with:
            return web.json_response({"errcode": self.refuse_with, "errmsg": "api unauthorized"})
        message = json.loads(await request.read())
        if sum(1 for m in self.sent if m["touser"] == message["touser"]) >= 5:
            return web.json_response({"errcode": 45047, "errmsg": "out of response count limit"})
        self.sent.append(message)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def app(self):
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        return app


async def with_fake_api(fake, scenario):
    server = TestServer(fake.app())
    await server.start_server()
    try:
        api = make_api(mode="push", api_base=str(server.make_url("")).rstrip("/"))
        return await scenario(api)
    finally:
        await server.close()


async def settle(api):
    while api.background:
        await asyncio.gather(*api.background)


def test_push_mode_sends_through_the_api_with_menus_and_one_cached_token():
    fake = FakeWeChatApi()

    async def scenario(api):
        channel = Channel(api, FakeBot(with_buttons))
        first = await channel.say("你好")
        await settle(api)
        second = await channel.say("你好呀")
        await settle(api)
        return first, second

    first, second = run(with_fake_api(fake, scenario))
    assert first.body == second.body == b"success"
    assert fake.tokens_issued == 1
    menu = fake.sent[0]
    assert menu["touser"] == OPENID and menu["msgtype"] == "msgmenu"
    assert menu["msgmenu"]["head_content"] == "你想先做什么？"
    assert [item["content"] for item in menu["msgmenu"]["list"]] == ["算还款方案", "信用卡"]


def test_push_mode_fetches_a_new_token_when_the_old_one_expired():
    fake = FakeWeChatApi()

    async def scenario(api):
        channel = Channel(api, FakeBot())
        await channel.say("一")
        await settle(api)
        fake.expired.add("token-1")
        await channel.say("二")
        await settle(api)

    run(with_fake_api(fake, scenario))
    assert fake.tokens_issued == 2
    assert [m["text"]["content"] for m in fake.sent] == ["收到：一", "收到：二"]


def test_push_mode_sends_at_most_five_messages_a_user_message_and_keeps_the_rest():
    fake = FakeWeChatApi()
    many = lambda _t: [  # noqa: E731
        {"text": f"第{i}条", "buttons": [{"title": "好", "payload": "/affirm"}]} for i in range(8)
    ]

    async def scenario(api):
        channel = Channel(api, FakeBot(many))
        await channel.say("说吧")
        await settle(api)
        return api

    api = run(with_fake_api(fake, scenario))
    assert len(fake.sent) == 5
    assert MORE in fake.sent[-1]["msgmenu"]["tail_content"]
    assert api.memory.has_rest(api.sender_of(OPENID))


def test_push_mode_falls_back_to_passive_replies_when_the_api_refuses(caplog):
    fake = FakeWeChatApi(refuse_with=48001)

    async def scenario(api):
        return await Channel(api, FakeBot()).say("你好")

    reply = run(with_fake_api(fake, scenario))
    assert reply.content == "收到：你好"
    assert fake.sent == []
    assert any("Push failed" in r.getMessage() for r in caplog.records)
