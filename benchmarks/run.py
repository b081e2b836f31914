"""Performance and memory figures of keras_shapes_magic, each a same-run ratio against a baseline.

    python benchmarks/run.py            # full run (several minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats, 30 s per-cell timeout for the huge messages
    python benchmarks/run.py --json results.json
    python benchmarks/run.py --quick --only chained,pathological

Every figure runs in a fresh subprocess (``--worker NAME``, see benchmarks/workers.py), so one
figure's imports, caches and memory cannot leak into another's. Timings are medians over
repeats, and every timed figure is a ratio against a baseline measured in the same process and
interleaved with it (the order rotates every round), because other processes may share the
machine. Nothing here asserts on time: the script reports, it does not fail.

Layout: benchmarks/cells.py (what runs: cells, the generated script, the huge messages),
benchmarks/workers.py (one function per figure), benchmarks/report.py (tables), this file
(arguments and orchestration).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if not __package__:  # run as a file: import the package ``benchmarks``, not its files as top-level modules
    sys.path[:] = [ROOT, *(p for p in sys.path if os.path.abspath(p or ".") != HERE)]

from benchmarks import cells, report, workers  # noqa: E402
from benchmarks.cells import EXT  # noqa: E402

RUN_PY = os.path.join(HERE, "run.py")
FIGURES = ("overhead", "chained", "load", "resnet", "deep", "memory", "failures", "pathological")
WORKER_TIMEOUT_S = 900.0
#: The huge-message workers: startup, message building and warm-up, before the first timed cell.
SETUP_TIMEOUT_S = 300.0


def _env(changes: dict[str, str | None] | None = None) -> dict[str, str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    for key, value in (changes or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _command(name: str, out: str, *args: str) -> list[str]:
    # The file, not ``-m``: the workers' stack depth stays what it was (see the overhead details).
    return [sys.executable, RUN_PY, "--worker", name, "--out", out, *args]


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _run_worker(name: str, *args: str, timeout: float = WORKER_TIMEOUT_S,
                env_changes: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Run one worker in a fresh interpreter; its result comes back through a JSON file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        done = subprocess.run(_command(name, out, *args), env=_env(env_changes), capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0 or not os.path.exists(out):
            return {"error": f"worker {name} {' '.join(args)} exited {done.returncode}:\n{_tail(done.stderr)}"}
        with open(out) as handle:
            return json.load(handle)


def _start_worker(name: str, *args: str) -> tuple[subprocess.Popen[str], str, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory()
    out = os.path.join(tmp.name, "out.json")
    process = subprocess.Popen(_command(name, out, *args), env=_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    return process, out, tmp


def _finish_worker(started: tuple[subprocess.Popen[str], str, tempfile.TemporaryDirectory[str]],
                   name: str) -> dict[str, Any]:
    process, out, tmp = started
    try:
        _stdout, stderr = process.communicate(timeout=WORKER_TIMEOUT_S)
        if process.returncode != 0 or not os.path.exists(out):
            return {"error": f"worker {name} exited {process.returncode}:\n{_tail(stderr)}"}
        with open(out) as handle:
            return json.load(handle)
    finally:
        tmp.cleanup()


def _read_events(path: str) -> list[dict[str, Any]]:
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError:
        return []
    return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n") and line.strip()]


def _run_streaming_worker(name: str, *args: str, cell_timeout: float) -> dict[str, Any]:
    """Run a worker that streams JSON-line events; kill it when one timed step exceeds ``cell_timeout``.

    After the worker's ``setup`` event, every step (a timed cell, the direct diagnose calls)
    must produce its next event within ``cell_timeout`` seconds; before it, startup and setup
    get :data:`SETUP_TIMEOUT_S`. What was measured before a kill is kept.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out, err_path = os.path.join(tmp, "events.jsonl"), os.path.join(tmp, "stderr.txt")
        with open(err_path, "w") as err:
            process = subprocess.Popen(_command(name, out, *args), env=_env(), stdout=subprocess.DEVNULL,
                                       stderr=err)
        started = last_change = time.monotonic()
        seen, timed_out, error = 0, None, None
        try:
            while process.poll() is None:
                time.sleep(0.2)
                events = _read_events(out)
                now = time.monotonic()
                if len(events) != seen:
                    seen, last_change = len(events), now
                set_up = any(e.get("setup") for e in events)
                if not set_up and now - started > SETUP_TIMEOUT_S:
                    error = f"worker {name} {' '.join(args)}: no setup after {SETUP_TIMEOUT_S:.0f} s"
                    break
                if set_up and now - last_change > cell_timeout:
                    last = events[-1]
                    timed_out = ({"config": last["start"], "round": last["round"]} if "start" in last
                                 else {"config": "after the timed cells", "round": -1})
                    break
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        events = _read_events(out)
        if timed_out is None and error is None and not any(e.get("end") for e in events):
            with open(err_path) as handle:
                error = f"worker {name} {' '.join(args)} exited {process.returncode}:\n{_tail(handle.read())}"
        return {"events": events, "timed_out": timed_out, "error": error, "timeout_s": cell_timeout,
                "elapsed_s": time.monotonic() - started}


def collect(quick: bool, log: Callable[[str], None], only: tuple[str, ...] = FIGURES) -> dict[str, Any]:
    results: dict[str, Any] = {"quick": quick, "machine": report.machine()}
    q = ["--quick"] if quick else []
    if "overhead" in only:
        log("overhead on success (interleaved U/L/M/T cells in one shell) ...")
        results["overhead"] = _run_worker("overhead", *q)
    if "chained" in only:
        log("overhead on success with another tool's exception handler installed first (O/C/U) ...")
        results["chained"] = _run_worker("chained", *q)

    if "load" in only:
        log("extension load (fresh interpreters, interleaved) ...")
        # Primary: with a bytecode cache, as after a normal install. Our own cache directory (not the
        # repository's __pycache__), warmed once per target before the timed runs.
        with tempfile.TemporaryDirectory() as pycache:
            warm: dict[str, str | None] = {"PYTHONPYCACHEPREFIX": pycache, "PYTHONDONTWRITEBYTECODE": None}
            for target in (EXT, "autoreload"):
                _run_worker("load", "--target", target, env_changes=warm)
            loads: dict[str, list[dict[str, Any]]] = {EXT: [], "autoreload": []}
            for _ in range(5 if quick else 9):
                for target in (EXT, "autoreload"):
                    loads[target].append(_run_worker("load", "--target", target, env_changes=warm))
        results["load"] = loads
        results["load_env"] = {}
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):  # also: as this environment runs it (no .pyc at all)
            as_is: dict[str, list[dict[str, Any]]] = {EXT: [], "autoreload": []}
            for _ in range(3 if quick else 5):
                for target in (EXT, "autoreload"):
                    as_is[target].append(_run_worker("load", "--target", target))
            results["load_env"] = as_is

    if "resnet" in only:
        log("report latency, ResNet50 ...")
        results["resnet"] = _run_worker("resnet", *q)
    if "deep" in only:
        log(f"report latency, {cells.DEEP_LAYERS}-layer model ...")
        results["deep"] = _run_worker("deep", *q)
    if "memory" in only:
        log("memory after a report ...")
        results["memory"] = _run_worker("memory")

    if "failures" in only:
        n = 1000
        log(f"{n} failing cells, with the hook and without (control), side by side ...")
        with_hook = _start_worker("failures", "--hook", "on", "--cells", str(n))
        control = _start_worker("failures", "--hook", "off", "--cells", str(n))
        results["failures"] = {"hook": _finish_worker(with_hook, "failures hook"),
                               "control": _finish_worker(control, "failures control")}

    if "pathological" in only:
        timeout = cells.CELL_TIMEOUT_QUICK_S if quick else cells.CELL_TIMEOUT_S
        shapes = [*cells.MESSAGE_SHAPES.items(), (cells.KERAS_SHAPE, cells.KERAS_SHAPE_LABEL)]
        runs = []
        for shape, label in shapes:
            log(f"huge message {label} (with / without the extension, {timeout:.0f} s per-cell timeout) ...")
            run = _run_streaming_worker("pathological", "--shape", shape, *q, cell_timeout=timeout)
            runs.append({"shape": shape, "label": label, **run})
        results["pathological"] = runs
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about half the time)")
    parser.add_argument("--json", metavar="PATH", help="also write every raw measurement to PATH")
    parser.add_argument("--profiles", action="store_true", help="print the report-latency profiles even when met")
    parser.add_argument("--only", metavar="FIGURES", help=f"comma-separated subset of: {', '.join(FIGURES)}")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--hook", choices=["on", "off"], help=argparse.SUPPRESS)
    parser.add_argument("--cells", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--shape", choices=[*cells.MESSAGE_SHAPES, cells.KERAS_SHAPE], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:  # dispatched here, not in a helper: the workers' stack depth stays what it always was
        if args.worker == "pathological":  # streams its events to --out itself
            workers.worker_pathological(args.shape, args.quick, args.out)
            return 0
        table: dict[str, Callable[[], dict[str, Any]]] = {
            "overhead": lambda: workers.worker_overhead(args.quick),
            "chained": lambda: workers.worker_chained(args.quick),
            "load": lambda: workers.worker_load(args.target),
            "resnet": lambda: workers.worker_resnet(args.quick),
            "deep": lambda: workers.worker_deep(args.quick),
            "memory": lambda: workers.worker_memory(args.quick),
            "failures": lambda: workers.worker_failures(args.hook == "on", args.cells),
        }
        data = table[args.worker]()
        with open(args.out, "w") as handle:
            json.dump(data, handle)
        return 0

    only = FIGURES
    if args.only:
        only = tuple(name.strip() for name in args.only.split(",") if name.strip())
        unknown = sorted(set(only) - set(FIGURES))
        if unknown:
            parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")

    start = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - start:5.0f} s] {message}", file=sys.stderr, flush=True)

    results = collect(args.quick, log, only)
    results["show_profiles"] = args.profiles
    elapsed = time.perf_counter() - start
    print(report.render(results, elapsed))
    if args.json:
        results["runtime_seconds"] = elapsed
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
