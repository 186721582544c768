"""The widget's conversation credentials and page headers: plain functions, no server."""

import os
import stat
import threading

import pytest

from addons.channels.ownership import (
    COOKIE_NAME,
    HEADER_NAME,
    MAX_CREDENTIAL_LENGTH,
    SECRET_BYTES,
    ConversationKeys,
    SecretError,
    is_widget_sender,
    load_secret,
    new_sender,
    presented_credential,
)
from addons.channels.page_headers import (
    API_HEADERS,
    content_security_policy,
    frame_ancestors_sources,
    page_headers,
)

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))


@pytest.fixture
def keys():
    return ConversationKeys(SECRET)


# --- Conversation ids -----------------------------------------------------------------


def test_a_new_sender_has_128_random_bits():
    senders = {new_sender() for _ in range(1000)}
    assert len(senders) == 1000
    for sender in senders:
        assert is_widget_sender(sender)
        assert sender.startswith("web-") and len(sender) == 4 + 32
        int(sender[4:], 16)


@pytest.mark.parametrize(
    "sender",
    [None, 7, "", "13800138000", "web-", "web-" + "g" * 32, "web-" + "A" * 32, "web-" + "a" * 31],
)
def test_ids_the_server_did_not_make_are_no_widget_ids(sender):
    assert not is_widget_sender(sender)


# --- Credentials ----------------------------------------------------------------------


def test_a_credential_proves_its_conversation(keys):
    sender, credential = keys.new_conversation()
    assert credential.startswith(sender + ".")
    assert len(credential) == MAX_CREDENTIAL_LENGTH
    assert keys.owner(credential) == sender
    assert keys.proves(credential, sender)


def test_the_same_secret_gives_the_same_credential_on_every_server(keys):
    sender = new_sender()
    assert ConversationKeys(SECRET).credential(sender) == keys.credential(sender)
    assert ConversationKeys(OTHER_SECRET).credential(sender) != keys.credential(sender)


def test_a_credential_does_not_open_another_conversation(keys):
    alice, alices = keys.new_conversation()
    bob, _ = keys.new_conversation()
    assert not keys.proves(alices, bob)
    assert not keys.proves(alices, "13800138000")
    # Alice's MAC under Bob's id is no credential either.
    assert keys.owner(bob + "." + alices.split(".")[1]) is None


def test_a_credential_of_another_secret_is_refused(keys):
    sender, credential = ConversationKeys(OTHER_SECRET).new_conversation()
    assert keys.owner(credential) is None and not keys.proves(credential, sender)


def test_no_credential_is_issued_for_an_id_the_server_did_not_make(keys):
    for sender in ("13800138000", "alice", "web-123", "web-" + "a" * 32 + ".x"):
        with pytest.raises(ValueError):
            keys.credential(sender)


def wrong_credentials(keys):
    sender, credential = keys.new_conversation()
    mac = credential.split(".")[1]
    flipped = ("A" if mac[0] != "A" else "B") + mac[1:]
    return sender, [
        None,
        "",
        sender,
        sender + ".",
        f"{sender}.{flipped}",
        f"{sender}.{mac[:-1]}",
        f"{sender}.{mac}x",
        f"{sender}.{mac}.{mac}",
        f"{sender.upper()}.{mac}",
        f"13800138000.{mac}",
        "." + mac,
        f"{sender}.{mac[:-1]}\u00e9",
        f"{sender}.{mac[:-1]}\ud800",
        credential + " " * 5000,
        12345,
        [credential],
    ]


def test_wrong_credentials_prove_nothing(keys):
    sender, wrong = wrong_credentials(keys)
    for credential in wrong:
        assert keys.owner(credential) is None, credential
        assert not keys.proves(credential, sender), credential


def test_a_right_credential_with_a_wrong_sender_proves_nothing(keys):
    sender, credential = keys.new_conversation()
    for other in (None, "", sender.upper(), sender + " ", "\ud800", 7):
        assert not keys.proves(credential, other)


def test_a_short_secret_is_refused():
    with pytest.raises(SecretError):
        ConversationKeys(b"x" * (SECRET_BYTES - 1))


# --- The secret file ------------------------------------------------------------------


def test_the_secret_is_made_once_private_and_kept(tmp_path):
    path = tmp_path / "var" / "webchat_secret"
    secret = load_secret(path)
    assert len(secret) == SECRET_BYTES and path.read_bytes() == secret
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret(path) == secret
    assert [p.name for p in path.parent.iterdir()] == ["webchat_secret"], "no temporary left"


def test_servers_starting_together_share_one_secret(tmp_path):
    path = tmp_path / "webchat_secret"
    secrets_seen = []

    def load():
        secrets_seen.append(load_secret(path))

    threads = [threading.Thread(target=load) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(secrets_seen)) == 1 and len(secrets_seen) == 16
    assert sorted(p.name for p in tmp_path.iterdir()) == ["webchat_secret"]


def test_a_secret_made_by_make_setup_is_used_as_it_is(tmp_path):
    path = tmp_path / "webchat_secret"
    path.write_bytes(b"\x01" * 32)
    assert load_secret(path) == b"\x01" * 32


def test_a_truncated_secret_file_is_a_clear_error(tmp_path):
    path = tmp_path / "webchat_secret"
    path.write_bytes(b"short")
    with pytest.raises(SecretError, match="at least 32"):
        load_secret(path)


# --- Where the credential comes from --------------------------------------------------


def test_the_header_wins_over_the_cookie():
    headers = {HEADER_NAME: " from-header "}
    assert presented_credential(headers, {COOKIE_NAME: "from-cookie"}) == "from-header"
    assert presented_credential({}, {COOKIE_NAME: "from-cookie"}) == "from-cookie"
    assert presented_credential({HEADER_NAME: ""}, {COOKIE_NAME: "c"}) == "c"
    assert presented_credential({}, {}) is None
    assert presented_credential({}, {COOKIE_NAME: ""}) is None


# --- Page headers ---------------------------------------------------------------------


def test_the_default_policy_forbids_inline_script_and_foreign_frames():
    policy = content_security_policy()
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "script-src" not in directives, "scripts fall back to default-src 'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_page_headers_have_nosniff_referrer_policy_and_a_legacy_frame_option():
    headers = page_headers()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert page_headers(("'none'",))["X-Frame-Options"] == "DENY"


def test_sites_that_embed_the_widget_are_named_in_frame_ancestors():
    sources = frame_ancestors_sources("'self' https://www.example.com https://*.example.org:8443")
    headers = page_headers(sources)
    assert headers["Content-Security-Policy"].endswith(
        "frame-ancestors 'self' https://www.example.com https://*.example.org:8443"
    )
    assert "X-Frame-Options" not in headers, "it cannot name other sites"


@pytest.mark.parametrize(
    "value,expected",
    [
        (None, ("'self'",)),
        ("'self'", ("'self'",)),
        ("'NONE'", ("'none'",)),
        (["'self'", "https://a.example"], ("'self'", "https://a.example")),
        ("https: 'self' https:", ("https:", "'self'")),
        ("http://127.0.0.1:8000", ("http://127.0.0.1:8000",)),
        ("https://shop.example/help/", ("https://shop.example/help/",)),
        ("*.example.com", ("*.example.com",)),
    ],
)
def test_frame_ancestors_values(value, expected):
    assert frame_ancestors_sources(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        [],
        "'self'; script-src *",
        "https://a.example;",
        "https://a.example,https://b.example",
        "https://a.example\nX-Evil: 1",
        "'unsafe-inline'",
        "'self' 'none'",
        "https://exa mple.com/\u00e9",
        "javascript:alert(1)",
        5,
        ["'self'", 5],
        {"a": 1},
    ],
)
def test_frame_ancestors_that_are_no_csp_sources_stop_the_server(value):
    with pytest.raises(ValueError):
        frame_ancestors_sources(value)


def test_api_answers_are_never_cached_sniffed_or_framed():
    assert API_HEADERS["Cache-Control"] == "no-store"
    assert API_HEADERS["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in API_HEADERS["Content-Security-Policy"]
