import pytest

from devtools.servers import (
    ActionServer,
    RasaServer,
    free_port,
    sqlite_tracker_store,
    write_endpoints,
)


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    """Both servers, started once for the whole end-to-end session."""
    workdir = tmp_path_factory.mktemp("bot")
    actions = ActionServer(workdir, free_port()).start()
    endpoints = write_endpoints(workdir, actions.port, sqlite_tracker_store(workdir))
    rasa = RasaServer(workdir, free_port(), endpoints).start()
    yield rasa
    rasa.stop()
    actions.stop()


# --- Chat channels and widget (tests/e2e/test_bad_input.py, test_widget_browser.py) ---


class ServerPair:
    """An action server and a Rasa server of a test's own, to stop and start at will."""

    def __init__(self, workdir):
        self.actions = ActionServer(workdir, free_port())
        endpoints = write_endpoints(workdir, self.actions.port, sqlite_tracker_store(workdir))
        self.rasa = RasaServer(workdir, free_port(), endpoints)

    def start(self) -> "ServerPair":
        self.actions.start()
        self.rasa.start()
        return self

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()


@pytest.fixture(scope="module")
def own_bot(tmp_path_factory):
    """Servers only this test module uses, so stopping them breaks no other test."""
    pair = ServerPair(tmp_path_factory.mktemp("own-bot")).start()
    yield pair
    pair.stop()
