"""scripts/rasa_serve.py: the API token reaches Rasa from the environment, never argv."""

import importlib.util

import pytest

from coach.paths import ROOT

spec = importlib.util.spec_from_file_location("rasa_serve", ROOT / "scripts" / "rasa_serve.py")
rasa_serve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rasa_serve)


def test_the_token_comes_from_the_environment_and_leaves_it():
    environ = {"RASA_AUTH_TOKEN": " s3cret ", "HOME": "/app"}
    assert rasa_serve.auth_token(environ) == "s3cret"
    assert environ == {"HOME": "/app"}


def test_the_token_may_come_from_a_mounted_file(tmp_path):
    (tmp_path / "token").write_text("from-a-secret\n")
    environ = {"RASA_AUTH_TOKEN_FILE": str(tmp_path / "token")}
    assert rasa_serve.auth_token(environ) == "from-a-secret" and environ == {}


def test_rasa_gets_the_token_and_a_token_on_the_command_line_is_refused():
    assert rasa_serve.rasa_arguments(["-p", "5005"], "t") == [
        "rasa",
        "run",
        "-p",
        "5005",
        "--auth-token",
        "t",
    ]
    assert rasa_serve.rasa_arguments(["-p", "5005"], None) == ["rasa", "run", "-p", "5005"]
    with pytest.raises(SystemExit):
        rasa_serve.rasa_arguments(["--auth-token", "t"], None)
