"""`make run` (scripts/run_servers.sh): both servers listen on 127.0.0.1 only, and the API
token reaches Rasa without ever being on a command line that `ps` shows."""

import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from devtools.servers import ROOT, free_port, sqlite_tracker_store, write_endpoints


def outside_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def command_lines() -> list[str]:
    lines = []
    for entry in Path("/proc").iterdir():
        try:
            lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ValueError):
            continue
    return lines


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise AssertionError(f"{url} not up; log:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("run_servers")
    rasa_port, action_port, token = free_port(), free_port(), secrets.token_hex(16)
    endpoints = write_endpoints(workdir, action_port, sqlite_tracker_store(workdir))
    env = dict(os.environ, RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port))
    env.update(ENDPOINTS=str(endpoints), RASA_AUTH_TOKEN=token, RASA_TELEMETRY_ENABLED="false")
    log = workdir / "run.log"
    process = subprocess.Popen(
        ["scripts/run_servers.sh"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{rasa_port}/", process, log)
        yield {"rasa": rasa_port, "actions": action_port, "token": token}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def test_the_token_is_on_no_command_line_and_still_guards_the_api(running):
    assert not [line for line in command_lines() if running["token"] in line]
    status = f"http://127.0.0.1:{running['rasa']}/status"
    assert requests.get(status, timeout=10).status_code == 401
    assert requests.get(status, params={"token": running["token"]}, timeout=10).status_code == 200


@pytest.mark.parametrize("server", ["rasa", "actions"])
def test_the_servers_listen_on_loopback_only(running, server):
    address = outside_address()
    if address is None:
        pytest.skip("this machine has no address but loopback")
    with pytest.raises(OSError):
        socket.create_connection((address, running[server]), timeout=3).close()
    socket.create_connection(("127.0.0.1", running[server]), timeout=3).close()
