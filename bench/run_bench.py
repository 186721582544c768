"""The project and Rasa's template bot under the same load; writes docs/benchmark.md.

Run from the repo root: `.venv/bin/python bench/run_bench.py [--with-training]`.
Exits 0 even when a target fails: it is a report. Stops every process it started.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import processes as procs  # noqa: E402
from bench import report  # noqa: E402
from bench.protocol import run_phase, warm_up  # noqa: E402
from devtools.servers import newest_model  # noqa: E402

TRAINING_FILE = ROOT / "var" / "last_training_seconds"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--with-training",
        action="store_true",
        help="time a full `rasa train --force` (minutes) instead of var/last_training_seconds",
    )
    parser.add_argument("--sequential", type=int, default=10, help="conversations @1")
    parser.add_argument("--concurrent", type=int, default=30, help="conversations @N")
    parser.add_argument("--concurrency", type=int, default=10, help="N")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted conversations")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds per phase")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmark.md")
    parser.add_argument("--keep-temp", action="store_true", help="keep logs and temp files")
    return parser.parse_args()


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def measure(
    name: str, url: str, pids: dict[str, int], args: argparse.Namespace
) -> report.BotResult:
    """Warm-up, then the @1 and @N phases, sampling the servers' RSS throughout."""
    sampler = procs.RssSampler(pids)
    sampler.start()
    result = report.BotResult()
    try:
        say(f"{name}: warming up")
        warm_up(url, args.warmup)
        cpu = procs.CpuMeter(pids).start()
        for level, count in ((1, args.sequential), (args.concurrency, args.concurrent)):
            say(f"{name}: {count} conversations, {level} at a time")
            result.phases[level] = run_phase(url, count, level, args.time_limit)
            phase = result.phases[level]
            say(f"{name}: @{level} p50 {phase.p(50):.1f} ms, {phase.rate():.1f} msg/s")
        result.cpu_s = cpu.stop()
    finally:
        result.rss_mb = sampler.stop()
    return result


Started = list[subprocess.Popen[bytes] | None]


def bench_template(workdir: Path, started: Started, args: argparse.Namespace) -> report.BotResult:
    say("template: rasa init --no-prompt (scaffolds and trains)")
    init_seconds = procs.init_template(workdir)
    say(f"template: rasa init took {init_seconds:.0f} s")
    server = procs.TemplateServer(workdir / "template")
    try:
        server.start()
    finally:
        started.append(server.process)
    assert server.process is not None  # start() returned, so it started one
    try:
        result = measure("template", server.url, {"rasa": server.process.pid}, args)
    finally:
        procs.stop_process(server.process)
    result.training_s = init_seconds
    return result


def bench_project(
    workdir: Path, started: Started, args: argparse.Namespace, facts: dict[str, Any]
) -> report.BotResult:
    model = newest_model()
    facts["model"] = Path(model).name
    say(f"project: starting the action server and the Rasa server ({facts['model']})")
    project_dir = workdir / "project"
    project_dir.mkdir()
    pair = procs.start_project(project_dir, model, started)
    actions, rasa = pair.actions, pair.rasa
    assert rasa.process is not None and actions.process is not None  # both started
    pids = {"rasa": rasa.process.pid, "actions": actions.process.pid}
    try:
        return measure("project", rasa.url, pids, args)
    finally:
        procs.stop_process(rasa.process)
        procs.stop_process(actions.process)


def project_training(result: report.BotResult, workdir: Path, args: argparse.Namespace) -> None:
    """--with-training measures; else var/last_training_seconds is reported if present."""
    if args.with_training:
        say("project: rasa train --force with an empty cache (takes minutes)")
        (workdir / "training").mkdir()
        result.training_s = procs.train_project(workdir / "training")
        result.training_note = " (`rasa train --force`, empty cache, measured by this run)"
    elif TRAINING_FILE.is_file():
        result.training_s = float(TRAINING_FILE.read_text().strip())
        result.training_note = " (from var/last_training_seconds)"
    else:
        result.training_note = " (not measured: pass --with-training)"


def on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(workdir: Path, args: argparse.Namespace) -> str:
    started: Started = []
    run_facts: dict[str, Any] = {"load_start": report.loadavg(), "date": report.now(), "notes": []}
    began = time.perf_counter()
    try:
        template = bench_template(workdir, started, args)
        project = bench_project(workdir, started, args, run_facts)
        project_training(project, workdir, args)
    finally:
        for process in reversed(started):
            procs.stop_process(process)
    run_facts.update(
        load_end=report.loadavg(),
        elapsed=time.perf_counter() - began,
        levels=[1, args.concurrency],
        counts={1: args.sequential, args.concurrency: args.concurrent},
        warmup=args.warmup,
        time_limit=args.time_limit,
    )
    run_facts["notes"] += notes(project, template)
    return report.document(project, template, run_facts)


def notes(project: report.BotResult, template: report.BotResult) -> list[str]:
    found = []
    for name, result in (("project", project), ("template", template)):
        for level, phase in result.phases.items():
            if phase.timed_out:
                found.append(f"{name} @{level} hit the time limit; fewer messages were sent.")
            if phase.failures:
                found.append(f"{name} @{level}: {phase.failures} requests failed.")
        found += load_notes(name, result)
    return found


def load_notes(name: str, result: report.BotResult) -> list[str]:
    found = []
    other = result.cpu_s.get("other_cores", 0.0)
    if other > 0.25:
        found.append(
            f"Other processes kept {other:.2f} cores busy on average while {name} was "
            "measured: its latencies are inflated; rerun on a quiet machine."
        )
    empty = sum(phase.empty_replies for phase in result.phases.values())
    messages = sum(phase.messages for phase in result.phases.values())
    if messages and empty > messages / 2:
        found.append(
            f"{name} answered {empty} of {messages} messages with nothing (no response "
            "rendered), so its figures are a floor. The template's random training decides "
            "which intent the Chinese lines fall into, so this varies from run to run."
        )
    return found


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with `&`
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        text = run(workdir, args)
    except KeyboardInterrupt:
        say(f"interrupted; every server stopped; logs in {workdir}")
        return 130
    except Exception:
        say(f"failed; every server stopped; logs in {workdir}")
        raise
    if args.keep_temp:
        say(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    say(f"written to {os.path.relpath(args.out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
