"""Starts the real action server and Rasa server on free ports for end-to-end tests."""

import glob
import os
import socket
import subprocess
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def newest_model() -> str:
    return max(glob.glob(str(ROOT / "models" / "*.tar.gz")), key=os.path.getmtime)


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180
) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server at {url} not up after {timeout}s; log:\n{log.read_text()[-3000:]}")


IN_MEMORY_LOCK_STORE = "lock_store:\n  type: in_memory\n"


def write_endpoints(
    workdir: Path, action_port: int, tracker_store: str, lock_store: str = IN_MEMORY_LOCK_STORE
) -> Path:
    path = workdir / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n'
        f"{tracker_store}\n{lock_store}",
        encoding="utf-8",
    )
    return path


def sqlite_tracker_store(workdir: Path) -> str:
    return f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n"


class ActionServer:
    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir, self.port = workdir, port
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"actions-{port}.log"

    def start(self) -> "ActionServer":
        self.process = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "actions", "-p", str(self.port)],
            cwd=ROOT,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"http://localhost:{self.port}/health", self.process, self.log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class RasaServer:
    def __init__(
        self, workdir: Path, port: int, endpoints: Path, extra_args: Iterable[str] = ()
    ) -> None:
        self.workdir, self.port, self.endpoints = workdir, port, endpoints
        self.extra_args = list(extra_args)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"rasa-{port}.log"
        self.url = f"http://localhost:{port}"

    def start(self) -> "RasaServer":
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--enable-api",
                "-p",
                str(self.port),
                "--endpoints",
                str(self.endpoints),
                "-m",
                newest_model(),
                *self.extra_args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{self.url}/", self.process, self.log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to save or close anything."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def send(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages


class ServerPair:
    """The project's action server and Rasa server, with a SQLite tracker store in workdir.

    ``model`` names the model to serve; without it the newest one. It is passed after the
    newest model's ``-m`` (the last ``-m`` wins), so a newer model landing meanwhile does
    not replace it.
    """

    def __init__(self, workdir: Path, model: str | None = None) -> None:
        self.actions = ActionServer(workdir, free_port())
        endpoints = write_endpoints(workdir, self.actions.port, sqlite_tracker_store(workdir))
        extra_args = ["-m", model] if model else []
        self.rasa = RasaServer(workdir, free_port(), endpoints, extra_args=extra_args)

    def start(self) -> "ServerPair":
        self.actions.start()
        self.rasa.start()
        return self

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()


def start_together(
    *servers: ActionServer | RasaServer,
) -> tuple[ActionServer | RasaServer, ...]:
    """Starts the servers in parallel (each start is ~20 s of loading) and returns them."""
    with ThreadPoolExecutor(len(servers)) as pool:
        for started in [pool.submit(server.start) for server in servers]:
            started.result()
    return servers
