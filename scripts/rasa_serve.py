"""`rasa run …` with the HTTP API's token taken from the environment, not the command line.

A token passed as ``--auth-token`` is visible in ``ps`` to every user of the machine. This
reads it from ``RASA_AUTH_TOKEN`` (or the file named by ``RASA_AUTH_TOKEN_FILE``, e.g. a
mounted Kubernetes Secret), removes it from the environment (so no child process inherits
it) and hands it to Rasa inside this process: ``/proc/<pid>/cmdline`` keeps the arguments
it was started with. Every other argument goes to ``rasa run`` unchanged.

    RASA_AUTH_TOKEN=... .venv/bin/python scripts/rasa_serve.py --enable-api -i 127.0.0.1 ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path


def auth_token(environ: MutableMapping[str, str]) -> str | None:
    token = environ.pop("RASA_AUTH_TOKEN", "").strip()
    path = environ.pop("RASA_AUTH_TOKEN_FILE", "").strip()
    if not token and path:
        token = Path(path).read_text(encoding="utf-8").strip()
    return token or None


def rasa_arguments(arguments: list[str], token: str | None) -> list[str]:
    if any(argument.startswith("--auth-token") for argument in arguments):
        raise SystemExit("pass the token in RASA_AUTH_TOKEN, not as --auth-token")
    return ["rasa", "run", *arguments, *(["--auth-token", token] if token else [])]


def main() -> None:
    sys.argv = rasa_arguments(sys.argv[1:], auth_token(os.environ))
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
