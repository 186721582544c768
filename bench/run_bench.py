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

from bench import parse_timing, report  # noqa: E402
from bench import processes as procs  # noqa: E402
from bench.long_conversation import run_long_conversation  # noqa: E402
from bench.protocol import run_phase, warm_up  # noqa: E402
from devtools.servers import newest_model  # noqa: E402

TRAINING_FILE = ROOT / "var" / "last_training_seconds"
# docs/benchmark.md from this line on is written by hand (the profile's findings) and kept.
KEPT_MARKER = "<!-- kept by make bench: written by hand -->"


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
    parser.add_argument("--long-turns", type=int, default=300, help="long conversation")
    parser.add_argument(
        "--long-only",
        action="store_true",
        help="only the long conversation of each bot; prints it, writes nothing",
    )
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
        if not args.long_only:
            measure_phases(name, url, pids, args, result)
        if args.long_turns:
            say(f"{name}: one conversation of {args.long_turns} turns")
            result.long = run_long_conversation(url, list(pids.values()), args.long_turns)
            long = result.long
            say(
                f"{name}: p50 turns 1-20 {long.latency_p50('early'):.1f} ms, last 20 "
                f"{long.latency_p50('late'):.1f} ms; CPU {long.cpu_mean('early'):.1f} -> "
                f"{long.cpu_mean('late'):.1f} ms a turn"
            )
    finally:
        result.rss_mb = sampler.stop()
    return result


def measure_phases(
    name: str, url: str, pids: dict[str, int], args: argparse.Namespace, result: report.BotResult
) -> None:
    cpu = procs.CpuMeter(pids).start()
    for level, count in ((1, args.sequential), (args.concurrency, args.concurrent)):
        say(f"{name}: {count} conversations, {level} at a time")
        result.phases[level] = run_phase(url, count, level, args.time_limit)
        phase = result.phases[level]
        say(f"{name}: @{level} p50 {phase.p(50):.1f} ms, {phase.rate():.1f} msg/s")
    result.cpu_s = cpu.stop()


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


def measure_parse(run_facts: dict[str, Any]) -> None:
    """Per-component parse time, in this process, with every server stopped."""
    say("project: parse time per component (loads the model here)")
    agent = parse_timing.load_agent(newest_model())
    lines = parse_timing.held_out_lines()
    means, whole = parse_timing.component_times(agent, lines)
    named = {parse_timing.short_name(node): ms for node, ms in means.items()}
    run_facts.update(parse=(named, whole), parse_messages=len(lines))


def run(workdir: Path, args: argparse.Namespace) -> str:
    started: Started = []
    run_facts: dict[str, Any] = {"load_start": report.loadavg(), "date": report.now(), "notes": []}
    began = time.perf_counter()
    try:
        template = bench_template(workdir, started, args)
        project = bench_project(workdir, started, args, run_facts)
        if not args.long_only:
            project_training(project, workdir, args)
    finally:
        for process in reversed(started):
            procs.stop_process(process)
    if args.long_only:
        return "\n".join(report.long_rows(project, template) + report.long_target(project))
    measure_parse(run_facts)
    run_facts.update(
        load_end=report.loadavg(),
        elapsed=time.perf_counter() - began,
        levels=[1, args.concurrency],
        counts={1: args.sequential, args.concurrency: args.concurrent},
        warmup=args.warmup,
        time_limit=args.time_limit,
        long_turns=args.long_turns,
        findings=kept_part(args.out),
    )
    run_facts["notes"] += notes(project, template)
    return report.document(project, template, run_facts)


def kept_part(path: Path) -> str:
    """The hand-written part of the old document, marker included; "" if none."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    return old[old.index(KEPT_MARKER) :] if KEPT_MARKER in old else ""


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
    print("\n" + text)
    if args.long_only:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    say(f"written to {os.path.relpath(args.out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
