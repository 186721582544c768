import pytest

from devtools.servers import ServerPair
from tests.support.browser import Chat, launched_chromium


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    """Both servers, started once for the whole end-to-end session."""
    pair = ServerPair(tmp_path_factory.mktemp("bot")).start()
    yield pair.rasa
    pair.stop()


# --- Chat channels and widget (tests/e2e/test_bad_input.py, test_widget_browser.py) ---


@pytest.fixture(scope="module")
def own_bot(tmp_path_factory):
    """Servers only this test module uses, so stopping them breaks no other test."""
    pair = ServerPair(tmp_path_factory.mktemp("own-bot")).start()
    yield pair
    pair.stop()


# --- The widget in a browser (tests/e2e/test_widget_*.py, test_casefile_browser.py) ---


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def chat(browser, bot):
    opened = Chat(browser, bot.url).open()
    yield opened
    opened.close()
