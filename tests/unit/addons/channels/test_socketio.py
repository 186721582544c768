"""The socket.io channel's sessions: rooms are joined (awaited), resuming needs the credential."""

import asyncio

from addons.channels.ownership import ConversationKeys
from addons.channels.socketio import CREDENTIAL_EVENT, CoachSocketIOInput


class FakeServer:
    """Records what python-socketio's AsyncServer was asked to do (its room calls are async)."""

    def __init__(self):
        self.rooms: dict[str, set[str]] = {}
        self.emitted: list[tuple[str, object, str]] = []

    async def emit(self, event, data, room=None, namespace=None):
        self.emitted.append((event, data, room))

    async def enter_room(self, sid, room, namespace=None):
        self.rooms.setdefault(room, set()).add(sid)

    async def leave_room(self, sid, room, namespace=None):
        self.rooms.get(room, set()).discard(sid)


def channel():
    socket_channel = CoachSocketIOInput()
    socket_channel.keys = ConversationKeys(b"s" * 32)
    return socket_channel


def test_a_new_session_joins_its_room_and_gets_its_credential():
    sio, socket_channel = FakeServer(), channel()
    sender = asyncio.run(socket_channel.start_session(sio, "sid-1", {}))
    assert sender.startswith("web-")
    assert sio.rooms[sender] == {"sid-1"}
    ((event, data, room),) = sio.emitted
    assert (event, room) == (CREDENTIAL_EVENT, "sid-1")
    assert socket_channel.keys.proves(data["credential"], sender)


def test_naming_another_session_without_its_credential_gives_a_new_one():
    sio, socket_channel = FakeServer(), channel()
    owner = asyncio.run(socket_channel.start_session(sio, "sid-1", {}))
    other = asyncio.run(socket_channel.start_session(sio, "sid-2", {"session_id": owner}))
    forged = asyncio.run(
        socket_channel.start_session(sio, "sid-3", {"session_id": owner, "credential": "x.y"})
    )
    assert owner not in (other, forged)
    assert sio.rooms[owner] == {"sid-1"}
    assert socket_channel.sessions == {"sid-1": owner, "sid-2": other, "sid-3": forged}


def test_the_credential_resumes_the_session_from_the_data_or_the_connection():
    sio, socket_channel = FakeServer(), channel()
    owner = asyncio.run(socket_channel.start_session(sio, "sid-1", {}))
    credential = socket_channel.keys.credential(owner)
    resumed = asyncio.run(
        socket_channel.start_session(sio, "sid-2", {"session_id": owner, "credential": credential})
    )
    socket_channel.offered["sid-3"] = credential  # connect(auth={"credential": ...})
    by_auth = asyncio.run(socket_channel.start_session(sio, "sid-3", {"session_id": owner}))
    assert resumed == by_auth == owner
    assert sio.rooms[owner] == {"sid-1", "sid-2", "sid-3"}
