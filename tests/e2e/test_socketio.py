"""The socket.io channel on the real servers, with python-socketio's client over polling."""

import asyncio

import requests
import socketio

TIMEOUT = 30


class Client:
    """One socket.io client: its session, its credential and the bot messages it got."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient()
        self.messages: list[dict] = []
        self.session: asyncio.Future = asyncio.get_running_loop().create_future()
        self.credential: str | None = None
        self.sio.on("bot_uttered", self.messages.append)
        self.sio.on("session_confirm", self.confirmed)
        self.sio.on("session_credential", self.credentialed)

    def confirmed(self, session_id):
        if not self.session.done():
            self.session.set_result(session_id)

    def credentialed(self, data):
        self.credential = data["credential"]

    async def connect(self, url, **session_request):
        await self.sio.connect(url, transports=["polling"], socketio_path="/socket.io")
        await self.sio.emit("session_request", session_request)
        return await asyncio.wait_for(self.session, TIMEOUT)

    async def say(self, text, session_id, count=1):
        before = len(self.messages)
        await self.sio.emit("user_uttered", {"message": text, "session_id": session_id})
        for _ in range(TIMEOUT * 10):
            if len(self.messages) >= before + count:
                break
            await asyncio.sleep(0.1)
        return self.messages[before:]


def user_texts(bot, sender):
    tracker = requests.get(f"{bot.url}/conversations/{sender}/tracker", timeout=30).json()
    return [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]


def test_socketio_replies_crisis_and_no_one_reads_or_writes_anothers_conversation(bot):
    async def scenario():
        first = Client()
        session = await first.connect(bot.url)
        assert session.startswith("web-") and first.credential
        greeting = await first.say("你好", session)
        assert greeting and greeting[0].get("text")
        crisis = await first.say("我不想活了", session)
        assert "12356" in crisis[0]["text"]

        intruder = Client()
        stolen = await intruder.connect(bot.url, session_id=session)
        assert stolen != session  # no credential: a new conversation instead
        seen = len(first.messages)
        await intruder.say("我欠了五万信用卡", session)
        await asyncio.sleep(1)
        assert len(first.messages) == seen  # the first client saw nothing of it

        owner_again = Client()
        resumed = await owner_again.connect(
            bot.url, session_id=session, credential=first.credential
        )
        assert resumed == session
        for client in (first, intruder, owner_again):
            await client.sio.disconnect()
        return session, stolen

    session, stolen = asyncio.run(scenario())
    assert "我欠了五万信用卡" not in user_texts(bot, session)
    assert "我欠了五万信用卡" in user_texts(bot, stolen)
