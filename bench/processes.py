"""Starting and stopping the bots' servers, and sampling their resident memory."""

import os
import subprocess
import threading
import time
from pathlib import Path

from devtools.servers import (
    ROOT,
    VENV_BIN,
    ServerPair,
    free_port,
    wait_until_up,
)

RASA = str(VENV_BIN / "rasa")
STARTUP_TIMEOUT = 600.0


def quiet_env() -> dict[str, str]:
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """Terminate one process we started; kill it if it will not go."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --- the template bot ---------------------------------------------------------------


def init_template(workdir: Path) -> float:
    """`rasa init --no-prompt` (scaffolds and trains); returns its wall time in seconds."""
    log = workdir / "rasa-init.log"
    (workdir / "template").mkdir()
    started = time.perf_counter()
    with log.open("wb") as out:
        done = subprocess.run(
            [RASA, "init", "--no-prompt", "--init-dir", str(workdir / "template")],
            cwd=workdir,
            env=quiet_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1800,
        )
    if done.returncode != 0:
        raise RuntimeError(f"rasa init failed; log:\n{log.read_text()[-3000:]}")
    return time.perf_counter() - started


class TemplateServer:
    """The template's Rasa server, run from its own directory with its own endpoints."""

    def __init__(self, project: Path) -> None:
        self.project, self.port = project, free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = project.parent / f"template-rasa-{self.port}.log"
        self.url = f"http://localhost:{self.port}"

    def start(self) -> "TemplateServer":
        self.process = subprocess.Popen(
            [RASA, "run", "--enable-api", "-p", str(self.port), "-m", "models/"],
            cwd=self.project,
            env=quiet_env(),
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        # loading the template's TensorFlow model took over 180 s on a loaded machine
        wait_until_up(f"{self.url}/", self.process, self.log, timeout=STARTUP_TIMEOUT)
        return self


# --- the project --------------------------------------------------------------------


def start_project(
    workdir: Path, model: str, started: list[subprocess.Popen[bytes] | None]
) -> ServerPair:
    """The project's two servers serving ``model``; their processes go into ``started``."""
    pair = ServerPair(workdir, model)
    try:
        pair.start()
    finally:
        started.extend([pair.actions.process, pair.rasa.process])
    return pair


def train_project(workdir: Path) -> float:
    """A full `rasa train --force` with an empty cache, into workdir; returns seconds."""
    log = workdir / "train.log"
    env = dict(quiet_env(), RASA_CACHE_DIRECTORY=str(workdir / "cache"))
    started = time.perf_counter()
    with log.open("wb") as out:
        done = subprocess.run(
            [RASA, "train", "--force", "--out", str(workdir / "models")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=3600,
        )
    if done.returncode != 0:
        raise RuntimeError(f"rasa train failed; log:\n{log.read_text()[-3000:]}")
    return time.perf_counter() - started


# --- resident memory ----------------------------------------------------------------


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def tree_rss_kb(pid: int) -> int:
    """VmRSS of a process plus that of any processes it started (normally none)."""
    return rss_kb(pid) + sum(tree_rss_kb(child) for child in children(pid))


class RssSampler(threading.Thread):
    """Keeps the largest resident size seen for each named process, every `interval` s."""

    def __init__(self, pids: dict[str, int], interval: float = 0.2):
        super().__init__(daemon=True, name="rss-sampler")
        self.pids, self.interval = pids, interval
        self.max_kb = {name: 0 for name in pids}
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            for name, pid in self.pids.items():
                self.max_kb[name] = max(self.max_kb[name], tree_rss_kb(pid))
            self.halt.wait(self.interval)

    def stop(self) -> dict[str, float]:
        self.halt.set()
        self.join(timeout=5)
        return {name: kb / 1024 for name, kb in self.max_kb.items()}


# --- CPU time -----------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int, tree: bool = True) -> float:
    """User + system CPU seconds of a process (all its threads), and its children if `tree`."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0
    return own + (sum(process_cpu_s(child) for child in children(pid)) if tree else 0.0)


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds of each named server (with children) and of this script alone."""
    used = {name: process_cpu_s(pid) for name, pid in pids.items()}
    used["bench"] = process_cpu_s(os.getpid(), tree=False)
    return used


def machine_busy_s() -> float:
    """CPU seconds all cores spent not idle since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS


class CpuMeter:
    """CPU used by the named processes, and by everything else on the machine, meanwhile."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.start_cpu: dict[str, float] = {}
        self.start_busy, self.start_wall = 0.0, 0.0

    def start(self) -> "CpuMeter":
        self.start_cpu = cpu_snapshot(self.pids)
        self.start_busy, self.start_wall = machine_busy_s(), time.monotonic()
        return self

    def stop(self) -> dict[str, float]:
        """CPU seconds per named process, and `other_cores`: others' mean cores in use."""
        used = {n: cpu - self.start_cpu[n] for n, cpu in cpu_snapshot(self.pids).items()}
        busy = machine_busy_s() - self.start_busy
        wall = time.monotonic() - self.start_wall
        used["other_cores"] = max(0.0, busy - sum(used.values())) / wall if wall else 0.0
        return used
