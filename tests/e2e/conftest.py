import pytest

from tests.e2e.servers import (
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
