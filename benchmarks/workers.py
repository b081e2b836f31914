"""The per-figure workers. Each runs in a fresh interpreter, started by run.py as

    python benchmarks/run.py --worker NAME --out RESULT.json [options]

(``python -m benchmarks.run --worker NAME ...`` from the repository root is the same), so one
figure's imports, caches and memory cannot leak into another's. A worker returns a JSON-able
dict; the pathological-message worker also streams one JSON line per timed cell to ``--out``,
so that run.py can kill it after a per-cell timeout and still report what was measured.
Nothing here asserts on time.
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from benchmarks import cells
from benchmarks.cells import EXT

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

#: The load figure's target: above it, the load worker also profiles the load (for the report).
LOAD_TARGET_MS = 30.0


# =========================================================================== helpers
def _quiet_tf() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    import warnings

    warnings.filterwarnings("ignore")


def _shell() -> Any:
    from IPython.testing.globalipapp import start_ipython

    return start_ipython()


def _set_loaded(shell: Any, loaded: bool) -> None:
    now = EXT in shell.extension_manager.loaded
    if loaded and not now:
        shell.run_line_magic("load_ext", EXT)
    elif not loaded and now:
        shell.run_line_magic("unload_ext", EXT)


def _run_ok(shell: Any, code: str) -> Any:
    result = shell.run_cell(code)
    if not result.success:
        raise RuntimeError(f"benchmark cell failed: {result.error_in_exec or result.error_before_exec!r}")
    return result


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def deep_size(obj: Any, seen: set[int] | None = None) -> int:
    """``sys.getsizeof`` summed over dataclass fields, containers and strings (each object once)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            size += deep_size(getattr(obj, f.name), seen)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            size += deep_size(key, seen) + deep_size(value, seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for item in obj:
            size += deep_size(item, seen)
    return size


def _profile_lines(func: Callable[[], Any], limit: int = 18, sort: str = "cumulative") -> list[str]:
    """cProfile of ``func``: the top ``limit`` lines, paths shortened."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        func()
    finally:
        profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats(sort).print_stats(limit)
    lines = []
    for line in stream.getvalue().splitlines():
        line = line.replace(sys.prefix + "/lib/python" + sys.version[:4] + "/site-packages/", "")
        line = line.replace(os.path.dirname(HERE) + "/", "")
        if line.strip() and not line.lstrip().startswith(("Ordered by", "List reduced")):
            lines.append(line.rstrip()[:160])
    return lines


def _own_time(func: Callable[[], Any]) -> tuple[float, int]:
    """Seconds spent in keras_shapes_magic's own functions (cProfile tottime) while ``func`` runs."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        func()
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total, calls = 0.0, 0
    for (filename, _line, _name), (_cc, nc, tt, _ct, _callers) in stats.items():
        if f"{os.sep}keras_shapes_magic{os.sep}" in filename:
            total += tt
            calls += nc
    return total, calls


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 4:
        return (min(values), max(values)) if values else (float("nan"), float("nan"))
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


# =========================================================================== worker: overhead on success
def worker_overhead(quick: bool) -> dict[str, Any]:
    """Interleaved successful cells in one shell.

    U = extension not loaded, L = loaded (hook only), M = loaded + ``%%kerascheck``,
    T = loaded + ``%%time`` (IPython's own cell magic, the reference for "any cell magic").
    """
    import resource

    _quiet_tf()
    shell = _shell()
    _run_ok(shell, cells.SETUP_CELL)
    configs = "ULMT"
    fit = cells.FIT_CELL
    variants = {"U": fit, "L": fit, "M": "%%kerascheck\n" + fit, "T": "%%time\n" + fit}
    sink = open(os.devnull, "w")  # noqa: SIM115 - %%time prints; every configuration prints to the same sink

    def timed(config: str) -> tuple[float, float, int]:
        _set_loaded(shell, config != "U")
        _run_ok(shell, cells.RESET_CELL)
        with contextlib.redirect_stdout(sink):
            faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            wall0, cpu0 = time.perf_counter(), time.process_time()
            _run_ok(shell, variants[config])
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0
        return wall, cpu, faults

    for _ in range(2):  # warm-up: TF kernels, tf.function machinery, our modules
        for config in configs:
            timed(config)
    rounds = 8 if quick else 20
    orders = list(itertools.permutations(configs))[::5]  # spread over the 24 orders
    wall: dict[str, list[float]] = {c: [] for c in configs}
    cpu: dict[str, list[float]] = {c: [] for c in configs}
    faults: dict[str, list[float]] = {c: [] for c in configs}
    for i in range(rounds):
        order = orders[i % len(orders)]
        for config in order if i % 2 == 0 else reversed(order):
            w, c, f = timed(config)
            wall[config].append(w)
            cpu[config].append(c)
            faults[config].append(f)

    def paired(a: str, b: str, source: dict[str, list[float]]) -> list[float]:
        return [x / y for x, y in zip(source[a], source[b])]

    pairs = {"hook": ("L", "U"), "magic_vs_loaded": ("M", "L"), "magic_vs_unloaded": ("M", "U"),
             "time_vs_loaded": ("T", "L"), "magic_vs_time": ("M", "T")}
    ratios = {k: paired(a, b, wall) for k, (a, b) in pairs.items()}
    cpu_ratios = {k: paired(a, b, cpu) for k, (a, b) in pairs.items()}

    # How deep the user's code runs in each kind of cell (CPython 3.11 allocates its frame
    # stack in chunks: a loop that calls across a chunk boundary mmaps/munmaps on every call,
    # which shows up as minor page faults; the depth decides where the boundaries fall).
    _set_loaded(shell, True)
    _run_ok(shell, cells.DEPTH_CELL)
    depths = {}
    for config, prefix in (("L", ""), ("M", "%%kerascheck\n"), ("T", "%%time\n")):
        with contextlib.redirect_stdout(sink):
            _run_ok(shell, prefix + "bench_depth_value = bench_depth()\n")
        depths[config] = shell.user_ns["bench_depth_value"]

    # Direct evidence, independent of machine noise: how much of a successful cell is our code,
    # and how often the frame capture fired (it should only fire while an exception propagates).
    from keras_shapes_magic import capture

    records = {"n": 0}
    original_record = capture._record

    def counting_record(tb: Any) -> None:
        records["n"] += 1
        original_record(tb)

    own: dict[str, Any] = {}
    capture._record = counting_record  # type: ignore[assignment]
    try:
        for config in "LM":
            _set_loaded(shell, True)
            _run_ok(shell, cells.RESET_CELL)
            records["n"] = 0
            seconds, calls = _own_time(lambda config=config: _run_ok(shell, variants[config]))
            own[config] = {"seconds": seconds, "calls": calls, "captures": records["n"]}
    finally:
        capture._record = original_record  # type: ignore[assignment]
    return {
        "rounds": rounds,
        "wall": wall,
        "cpu": cpu,
        "ratios": ratios,
        "cpu_ratios": cpu_ratios,
        "median_wall": {c: median(v) for c, v in wall.items()},
        "median_ratio": {k: median(v) for k, v in ratios.items()},
        "iqr_ratio": {k: quartiles(v) for k, v in ratios.items()},
        "median_cpu_ratio": {k: median(v) for k, v in cpu_ratios.items()},
        "median_faults": {c: median(v) for c, v in faults.items()},
        "faults": faults,
        "depths": depths,
        "own_code": own,
    }


# =========================================================================== worker: extension load
def worker_load(target: str) -> dict[str, Any]:
    """Time ``%load_ext target`` alone in this fresh interpreter; which heavy modules it imported."""
    shell = _shell()
    before = set(sys.modules)
    start = time.perf_counter()
    shell.run_line_magic("load_ext", target)
    seconds = time.perf_counter() - start
    new = sorted(set(sys.modules) - before)
    heavy = [m for m in ("tensorflow", "keras", "tf_keras", "numpy", "pandas", "ipywidgets", "psutil")
             if m in new]
    profile: list[str] = []
    if target == EXT and seconds * 1000 > LOAD_TARGET_MS:
        shell.run_line_magic("unload_ext", target)
        for name in [m for m in sys.modules if m.startswith(EXT)]:
            del sys.modules[name]
        profile = _profile_lines(lambda: shell.run_line_magic("load_ext", target), limit=25)
    return {
        "seconds": seconds,
        "tensorflow": "tensorflow" in sys.modules,
        "keras": "keras" in sys.modules,
        "new_modules": len(new),
        "heavy": heavy,
        "ours": [m for m in new if m.startswith(EXT)],
        "profile": profile,
    }


# =========================================================================== workers: report latency
#: Functions of the report path timed one by one (module, attribute, label); nested ones are marked.
BREAKDOWN = (
    ("keras_shapes_magic.diagnosis", "collect", "evidence.collect"),
    ("keras_shapes_magic.diagnosis.evidence", "_statement_source", "  of which evidence._statement_source"),
    ("keras_shapes_magic.diagnosis", "build_table", "rows.build_table"),
    ("keras_shapes_magic.diagnosis.keras_objects", "key_config", "  of which keras_objects.key_config"),
    ("keras_shapes_magic.diagnosis", "_finalize_rows", "diagnosis._finalize_rows"),
    ("keras_shapes_magic.diagnosis", "SourceIndex", "  of which diagnosis.SourceIndex"),
    ("keras_shapes_magic.diagnosis", "_traceback_text", "diagnosis._traceback_text"),
)


def _breakdown(func: Callable[[], Any], repeats: int = 3) -> dict[str, float]:
    """Seconds per run spent in each function of :data:`BREAKDOWN` (wrapped, no profiler)."""
    import importlib

    spent: dict[str, float] = {label: 0.0 for _m, _a, label in BREAKDOWN}
    saved = []
    for module_name, attr, label in BREAKDOWN:
        module = importlib.import_module(module_name)
        original = getattr(module, attr, None)
        if original is None:  # renamed in the package: time the rest, say so in the breakdown
            continue

        def wrapper(*args: Any, _original: Any = original, _label: str = label, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - start

        saved.append((module, attr, original))
        setattr(module, attr, wrapper)
    try:
        for _ in range(repeats):
            func()
    finally:
        for module, attr, original in saved:
            setattr(module, attr, original)
    return {label: seconds / repeats for label, seconds in spent.items()}


def _cell_failure(shell: Any, source: str) -> Callable[[], tuple[BaseException, dict[str, Any] | None]]:
    """Run ``source`` as a real IPython cell (extension not loaded: the error is ours to diagnose)."""
    sink = open(os.devnull, "w")  # noqa: SIM115 - IPython prints the traceback; kept for the worker's life

    def fail() -> tuple[BaseException, dict[str, Any] | None]:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = shell.run_cell(source)
        if result.error_in_exec is None:
            raise RuntimeError(f"the cell did not raise: {source!r}")
        return result.error_in_exec, shell.user_ns

    return fail


def _generated_script() -> Any:
    """The generated :data:`~benchmarks.cells.SCRIPT_LINES`-line script, imported as a module.

    Its file stays on disk for the worker's life (the diagnosis reads the failing file's lines).
    """
    import importlib.util

    directory = tempfile.TemporaryDirectory(prefix="ksm_bench_")
    _KEEP.append(directory)
    path = cells.write_script(directory.name)
    spec = importlib.util.spec_from_file_location("bench_generated_script", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot import the generated script {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_KEEP: list[Any] = []


def _line_count(path: str) -> int:
    with open(path) as handle:
        return sum(1 for _ in handle)


def _script_failure(call: Callable[[], Any]) -> Callable[[], tuple[BaseException, dict[str, Any] | None]]:
    """``call`` runs one failing function through the generated script's ``catch``, which returns the error.

    The traceback therefore starts in the generated script, as when a plain script dies at
    module level: the benchmark's own files are not among the user's frames.
    """

    def fail() -> tuple[BaseException, dict[str, Any] | None]:
        error = call()
        if not isinstance(error, BaseException):
            raise RuntimeError("the generated script's call did not fail")
        return error, None

    return fail


def _report_latency(model: Any, fails: dict[str, Callable[[], tuple[BaseException, dict[str, Any] | None]]],
                    rounds: int, name: str) -> dict[str, Any]:
    """Interleaved: raise, then diagnose + to_frame + to_html + to_text (timed), vs ``model.summary``.

    ``fails`` maps a scenario to a function that raises the error and returns it (with the
    namespace to pass to ``diagnose``): ``cell`` (a real IPython cell, as in a notebook) and
    ``script`` (the failing line sits in a generated ``SCRIPT_LINES``-line file, as in a plain script).
    """
    import keras_shapes_magic as ksm
    from keras_shapes_magic import capture

    def summary() -> None:
        model.summary(print_fn=lambda *a, **k: None)

    parts: dict[str, dict[str, list[float]]] = {
        k: {"diagnose": [], "to_frame": [], "to_html": [], "to_text": []} for k in fails}

    def report_once(scenario: str) -> tuple[float, Any]:
        exc, namespace = fails[scenario]()
        t0 = time.perf_counter()
        report = ksm.diagnose(exc, namespace)
        t1 = time.perf_counter()
        if report is None:
            raise RuntimeError(f"{name}: the exception was not diagnosed: {exc!r}")
        report.to_frame()
        t2 = time.perf_counter()
        report.to_html()
        t3 = time.perf_counter()
        report.to_text()
        t4 = time.perf_counter()
        for key, seconds in zip(parts[scenario], (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            parts[scenario][key].append(seconds)
        capture.clear()
        return t4 - t0, report

    # The first (cold) calls: imports of our diagnosis modules and of pandas, the first summary.
    cold_report, report = report_once("cell")
    start = time.perf_counter()
    summary()
    cold_summary = time.perf_counter() - start
    for scenario in fails:
        report_once(scenario)  # warm-up
        for key in parts[scenario]:
            parts[scenario][key].clear()
    summary()

    times: dict[str, list[float]] = {"summary": [], **{k: [] for k in fails}}
    orders = list(itertools.permutations(times))
    for i in range(rounds):
        for what in orders[i % len(orders)]:
            if what == "summary":
                start = time.perf_counter()
                summary()
                times["summary"].append(time.perf_counter() - start)
            else:
                seconds, report = report_once(what)
                times[what].append(seconds)
    size = deep_size(report)
    result: dict[str, Any] = {
        "rounds": rounds,
        "rows": len(report.rows),
        "offending": report.offending,
        "family": report.family,
        "times": times,
        "median_summary": median(times["summary"]),
        "cold_report": cold_report,
        "cold_summary": cold_summary,
        "report_bytes": size,
        "traceback_bytes": deep_size(report.traceback_text),
        "bytes_per_row": size / max(1, len(report.rows)),
        "row_bytes": [deep_size(r) for r in report.rows[:3]],
        "scenarios": {},
    }
    for scenario in fails:
        ratios = [r / s for r, s in zip(times[scenario], times["summary"])]

        def profiled(scenario: str = scenario, limit: int = 24, sort: str = "cumulative") -> list[str]:
            """cProfile of 3 reports (diagnose + to_frame + to_html + to_text); the errors are raised first."""
            errors = [fails[scenario]() for _ in range(3)]

            def reports() -> None:
                for exc, namespace in errors:
                    rep = ksm.diagnose(exc, namespace)
                    assert rep is not None
                    rep.to_frame()
                    rep.to_html()
                    rep.to_text()

            try:
                return _profile_lines(reports, limit=limit, sort=sort)
            finally:
                capture.clear()

        diagnose_seconds: list[float] = []

        def diagnose_only(scenario: str = scenario, seconds: list[float] = diagnose_seconds) -> None:
            exc, namespace = fails[scenario]()
            start = time.perf_counter()
            ksm.diagnose(exc, namespace)
            seconds.append(time.perf_counter() - start)
            capture.clear()

        breakdown = _breakdown(diagnose_only)
        breakdown["diagnose (total, wrapped)"] = median(diagnose_seconds)
        result["scenarios"][scenario] = {
            "breakdown": breakdown,
            "median_report": median(times[scenario]),
            "median_ratio": median(ratios),
            "iqr_ratio": quartiles(ratios),
            "parts": {k: median(v) for k, v in parts[scenario].items()},
            # cProfile of 3 reports, kept for the lead (printed when the target is missed).
            "profile": profiled(),
            "profile_tottime": profiled(limit=12, sort="tottime"),
        }
    result["summary_profile"] = _profile_lines(lambda: [summary() for _ in range(3)], limit=8)
    return result


def worker_resnet(quick: bool) -> dict[str, Any]:
    _quiet_tf()
    from keras_shapes_magic import capture

    capture.install()  # before Keras is imported: the best evidence in a plain script
    import keras
    import numpy as np

    model = keras.applications.ResNet50(weights=None)
    images = np.zeros((2, 224, 224, 1), dtype="float32")  # one channel, the model wants three
    shell = _shell()
    shell.user_ns.update(model=model, images=images)
    script = _generated_script()
    fails = {"cell": _cell_failure(shell, cells.RESNET_CELL),
             "script": _script_failure(lambda: script.catch(script.predict_wrong_channels, model, images))}
    result = _report_latency(model, fails, rounds=6 if quick else 15, name="ResNet50")
    result["script_lines"] = _line_count(script.__file__)
    result["success"] = _success_latency(model, np.zeros((2, 224, 224, 3), dtype="float32"),
                                         rounds=6 if quick else 15)
    return result


def _success_latency(model: Any, images: Any, rounds: int) -> dict[str, Any]:
    """The table of a passing ``%%kerascheck`` predict cell (every check, then its three views) vs ``model.summary``."""
    from keras_shapes_magic.diagnosis.checks import check_cell
    from keras_shapes_magic.watch import ModelCall

    def summary() -> None:
        model.summary(print_fn=lambda *a, **k: None)

    def check() -> Any:
        report = check_cell([ModelCall("predict", model, images)], [], {"model": model, "images": images})
        report.to_frame()
        report.to_html()
        report.to_text()
        return report

    report = check()  # warm-up (and the first summary)
    summary()
    times: dict[str, list[float]] = {"check": [], "summary": []}
    for i in range(rounds):
        for what in (("check", "summary") if i % 2 == 0 else ("summary", "check")):
            start = time.perf_counter()
            check() if what == "check" else summary()
            times[what].append(time.perf_counter() - start)
    ratios = [c / s for c, s in zip(times["check"], times["summary"])]
    return {"rounds": rounds, "rows": len(report.rows), "warnings": len(report.warnings), "times": times,
            "median_check": median(times["check"]), "median_summary": median(times["summary"]),
            "median_ratio": median(ratios), "iqr_ratio": quartiles(ratios)}


def worker_deep(quick: bool) -> dict[str, Any]:
    _quiet_tf()
    from keras_shapes_magic import capture

    capture.install()
    import keras

    inputs = keras.Input(shape=(8,), name="deep_input")
    hidden = inputs
    for i in range(cells.DEEP_LAYERS):
        hidden = keras.layers.Dense(8, name=f"dense_{i}")(hidden)
    model = keras.Model(inputs, hidden, name="deep400")  # the first 400 layers: the summary baseline
    shell = _shell()
    shell.user_ns.update(keras=keras, hidden=hidden)
    script = _generated_script()
    fails = {"cell": _cell_failure(shell, cells.DEEP_CELL),  # 8 values cannot become 3 x 3
             "script": _script_failure(lambda: script.catch(script.reshape_last_layer, hidden))}
    result = _report_latency(model, fails, rounds=6 if quick else 15, name="deep400")
    result["script_lines"] = _line_count(script.__file__)
    return result


# =========================================================================== worker: memory after a report
def _holders(obj: Any, depth: int = 4) -> list[str]:
    """Who keeps ``obj`` alive: a few referrer chains, by type (frames by function name)."""
    frame_type = type(sys._getframe())

    def describe(o: Any) -> str:
        if isinstance(o, frame_type):
            return f"frame {o.f_code.co_name} ({os.path.basename(o.f_code.co_filename)})"
        if isinstance(o, dict):
            return f"dict({len(o)} keys)"
        return type(o).__name__

    chains: list[str] = []
    skip: set[int] = set()

    def walk(o: Any, path: list[str], level: int) -> None:
        if len(chains) >= 6:
            return
        referrers = gc.get_referrers(o)
        skip.add(id(referrers))
        referrers = [r for r in referrers if id(r) not in skip and not (
            isinstance(r, frame_type) and r.f_code.co_name in ("walk", "_holders", "worker_memory"))]
        skip.add(id(referrers))
        if level == 0 or not referrers:
            chains.append(" <- ".join(path))
            return
        for r in referrers[:2]:
            walk(r, [*path, describe(r)], level - 1)

    walk(obj, [describe(obj)], depth)
    return chains


def worker_memory(quick: bool) -> dict[str, Any]:
    """A shape error in fit, shown by the hook; then ``del model, x``: is anything still holding them?"""
    _quiet_tf()
    import keras_shapes_magic as ksm

    shell = _shell()
    _set_loaded(shell, True)
    _run_ok(shell, "import gc\nimport weakref\nimport keras\nimport numpy as np")
    sink = open(os.devnull, "w")  # noqa: SIM115 - kept open for the worker's life
    rss_before = _rss_mb()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        result = shell.run_cell(cells.MEMORY_CELL, store_history=True)
    failed = result.error_in_exec is not None
    error_name = type(result.error_in_exec).__name__
    del result
    report = ksm.last_report()
    if report is None:
        raise RuntimeError("the failing fit showed no shape report")
    rss_after_report = _rss_mb()
    refs = shell.user_ns.pop("bench_refs")
    _run_ok(shell, "del model, x\ncollected = gc.collect()")

    def alive() -> list[str]:
        gc.collect()
        return [name for name, ref in refs.items() if ref() is not None]

    def clear_last() -> None:
        for attr in ("last_type", "last_value", "last_traceback", "last_exc"):
            if hasattr(sys, attr):
                setattr(sys, attr, None)

    def clear_result() -> None:
        shell.last_execution_result = None

    def clear_out() -> None:
        shell.displayhook.flush()  # Out, _oh, _, __, ___ (what %reset out does)

    # Step by step: who frees them? Everything but the first step is IPython's own state.
    steps: list[tuple[str, list[str]]] = [("after `del model, x; gc.collect()`", alive())]
    holders_before = {name: _holders(refs[name]()) for name in steps[0][1]}
    for label, action in (("sys.last_type/last_value/last_traceback = None", clear_last),
                          ("shell.last_execution_result = None", clear_result),
                          ("Out / _ / __ / ___ cleared (displayhook.flush)", clear_out)):
        action()
        steps.append((label, alive()))
    held = steps[-1][1]
    holders_after = {name: _holders(refs[name]()) for name in held}
    rss_end = _rss_mb()
    size = deep_size(report)
    return {
        "cell_failed": failed,
        "error_type": error_name,
        "report_rows": len(report.rows),
        "report_family": report.family,
        "steps": steps,
        "freed_before_clearing": {name: name not in steps[0][1] for name in refs},
        "freed_after_clearing": {name: name not in held for name in refs},
        "holders_before": holders_before,
        "holders_after": holders_after,
        "rss_before_mb": rss_before,
        "rss_after_report_mb": rss_after_report,
        "rss_end_mb": rss_end,
        "report_bytes": size,
        "bytes_per_row": size / max(1, len(report.rows)),
        "traceback_bytes": deep_size(report.traceback_text),
    }


# =========================================================================== worker: many failures
def _our_live_objects() -> dict[str, int]:
    """What keras_shapes_magic keeps between cells: live instances of its classes, its stores."""
    from keras_shapes_magic import capture, display

    counts: dict[str, int] = {}
    for obj in gc.get_objects():
        module = type(obj).__module__
        if isinstance(module, str) and module.startswith("keras_shapes_magic") and not isinstance(obj, type):
            name = type(obj).__name__
            counts[name] = counts.get(name, 0) + 1
    counts["capture store entries"] = len(capture._captures)
    counts["live widgets"] = len(display._live_widgets)
    return dict(sorted(counts.items()))


def worker_failures(hook: bool, count: int) -> dict[str, Any]:
    """``count`` failing cells in one shell; RSS, gc-tracked objects and our live objects sampled."""
    _quiet_tf()
    import keras_shapes_magic as ksm

    shell = _shell()
    if hook:
        _set_loaded(shell, True)
    _run_ok(shell, "import gc\nimport keras\nimport numpy as np")
    sink = open(os.devnull, "w")  # noqa: SIM115 - kept open for the worker's life
    checkpoints = sorted({c for c in (100, 250, 500, 750, count) if c <= count})
    samples: dict[int, dict[str, float]] = {}
    ours: dict[int, dict[str, int]] = {}
    reports = 0
    last = ksm.last_report()
    start = time.perf_counter()
    for i in range(1, count + 1):
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = shell.run_cell(cells.FAILING_CELL, store_history=True)
        if result.error_in_exec is None:
            raise RuntimeError("the failing cell did not fail")
        del result
        now = ksm.last_report()
        if now is not None and now is not last:
            reports += 1
            last = now
        if i in checkpoints:
            gc.collect()
            samples[i] = {"rss_mb": _rss_mb(), "objects": len(gc.get_objects()),
                          "seconds": time.perf_counter() - start}
            ours[i] = _our_live_objects()
    first, final = checkpoints[0], checkpoints[-1]
    span = final - first
    growth_mb = samples[final]["rss_mb"] - samples[first]["rss_mb"]
    growth_objects = samples[final]["objects"] - samples[first]["objects"]
    return {
        "hook": hook,
        "cells": count,
        "reports": reports,
        "samples": {str(k): v for k, v in samples.items()},
        "ours_first": ours[first],
        "ours_final": ours[final],
        "last_report_rows": len(last.rows) if last is not None else 0,
        "last_report_bytes": deep_size(last) if last is not None else 0,
        "span": span,
        "first": first,
        "seconds_per_cell": samples[final]["seconds"] / count,
        "growth_mb": growth_mb,
        "growth_kb_per_cell": growth_mb * 1024 / max(1, span),
        "growth_objects": growth_objects,
        "objects_per_cell": growth_objects / max(1, span),
    }




# =========================================================================== worker: chained handler
def worker_chained(quick: bool) -> dict[str, Any]:
    """Successful cells when another tool's custom exception handler was installed before ours.

    O = the other tool's handler alone (extension not loaded), C = the other handler, then
    ``%load_ext`` (ours chains to it), U = neither. Interleaved like the overhead figure.
    """
    _quiet_tf()
    shell = _shell()
    _run_ok(shell, cells.SETUP_CELL)
    _run_ok(shell, cells.OTHER_HANDLER_CELL)
    other = shell.user_ns["other_tool_handler"]
    configs = "OCU"

    def configure(config: str) -> None:
        _set_loaded(shell, False)  # gives the slot back to what was there before us
        shell.set_custom_exc((), None)
        if config in "OC":
            shell.set_custom_exc((Exception,), other)
        if config == "C":
            _set_loaded(shell, True)

    def timed(config: str) -> float:
        configure(config)
        _run_ok(shell, cells.RESET_CELL)
        start = time.perf_counter()
        _run_ok(shell, cells.FIT_CELL)
        return time.perf_counter() - start

    for _ in range(2):  # warm-up
        for config in configs:
            timed(config)
    rounds = 8 if quick else 20
    orders = list(itertools.permutations(configs))
    wall: dict[str, list[float]] = {c: [] for c in configs}
    for i in range(rounds):
        for config in orders[i % len(orders)]:
            wall[config].append(timed(config))

    # Is it really chained? Ours must hold the slot, and a non-Keras error must reach the other handler once.
    configure("O")
    others_slot = shell.CustomTB
    configure("C")
    chained_to_other = shell.CustomTB is not others_slot and Exception in tuple(shell.custom_exceptions)
    calls = shell.user_ns["other_tool_calls"]
    calls["n"] = 0
    sink = open(os.devnull, "w")  # noqa: SIM115 - kept open for the worker's life
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        result = shell.run_cell(cells.CHAIN_CHECK_CELL)
    other_calls = calls["n"]
    failed = result.error_in_exec is not None
    configure("U")

    def paired(a: str, b: str) -> list[float]:
        return [x / y for x, y in zip(wall[a], wall[b])]

    pairs = {"chained_vs_other": ("C", "O"), "chained_vs_plain": ("C", "U"), "other_vs_plain": ("O", "U")}
    ratios = {k: paired(a, b) for k, (a, b) in pairs.items()}
    return {
        "rounds": rounds,
        "wall": wall,
        "median_wall": {c: median(v) for c, v in wall.items()},
        "median_ratio": {k: median(v) for k, v in ratios.items()},
        "iqr_ratio": {k: quartiles(v) for k, v in ratios.items()},
        "chained_to_other": chained_to_other,
        "other_handler_calls_on_error": other_calls,
        "check_cell_failed": failed,
    }


# =========================================================================== worker: pathological messages
class _Progress:
    """One JSON line per event in the ``--out`` file, flushed at once (read by run.py while we run)."""

    def __init__(self, path: str) -> None:
        self.handle = open(path, "w")  # noqa: SIM115 - one handle for the worker's life
        self.start = time.perf_counter()

    def emit(self, **event: Any) -> None:
        event["t"] = time.perf_counter() - self.start
        self.handle.write(json.dumps(event) + "\n")
        self.handle.flush()


def worker_pathological(shape: str, quick: bool, out: str) -> None:
    """A failing cell with a huge message, with (L) and without (U) the extension, under ``%xmode Minimal``.

    Timed: the whole ``shell.run_cell`` of the failing cell (raise, the custom handler if any,
    IPython's one-line Minimal traceback printed to /dev/null). U and L differ only in the
    extension being loaded, so L - U is the cost of our handler path. Streams events:
    ``setup``, ``start`` / ``done`` per timed cell, ``diagnose`` (the handler's diagnose called
    directly on the same exception), ``end``.
    """
    progress = _Progress(out)
    keras_shaped = shape == cells.KERAS_SHAPE
    if keras_shaped:
        _quiet_tf()
    import keras_shapes_magic as ksm

    shell = _shell()
    sink = open(os.devnull, "w")  # noqa: SIM115 - kept open for the worker's life
    with contextlib.redirect_stdout(sink):
        shell.run_line_magic("xmode", "Minimal")
    if keras_shaped:
        shell.user_ns["CORE_CHARS"] = cells.KERAS_CORE_CHARS
        _run_ok(shell, cells.KERAS_SETUP_CELL)
        cell, warmup = cells.KERAS_CELL, cells.KERAS_WARMUP_CELL
    else:
        shell.user_ns["message"] = cells.pathological_message(shape)
        cell, warmup = cells.MESSAGE_CELL, cells.MESSAGE_WARMUP_CELL

    def run(source: str, config: str) -> tuple[float, BaseException, bool]:
        _set_loaded(shell, config == "L")
        before = ksm.last_report()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            start = time.perf_counter()
            result = shell.run_cell(source)
            seconds = time.perf_counter() - start
        if result.error_in_exec is None:
            raise RuntimeError(f"the cell did not fail: {source!r}")
        after = ksm.last_report()
        return seconds, result.error_in_exec, after is not None and after is not before

    for config in "ULUL":  # warm-up on a small message: our diagnosis modules, IPython's formatter
        run(warmup, config)
    # The message as Python sees it (for the Keras-shaped one: the wrapper Keras built around the core).
    _seconds, error, _shown = run(cell, "U")
    progress.emit(setup=True, message_chars=len(str(error)), message_head=str(error)[:120],
                  exception=type(error).__name__)
    del error

    rounds = 5 if quick else 11
    budget = 30.0 if quick else 60.0  # seconds of timed cells; slow shapes get fewer rounds
    spent = 0.0
    last_error: BaseException | None = None
    for i in range(rounds):
        for config in "UL" if i % 2 == 0 else "LU":
            progress.emit(start=config, round=i)
            seconds, error, shown = run(cell, config)
            progress.emit(done=config, round=i, seconds=seconds, report_shown=shown)
            spent += seconds
            if config == "L":
                last_error = error
            del error
        if spent > budget:
            break

    if last_error is not None and not keras_shaped:  # the handler's work, called directly (no printing)
        _set_loaded(shell, True)
        direct = []
        for _ in range(3):
            start = time.perf_counter()
            report = ksm.diagnose(last_error, shell.user_ns)
            direct.append(time.perf_counter() - start)
            if spent + sum(direct) > 2 * budget:
                break
        progress.emit(diagnose=direct, diagnose_report=report is not None)
    progress.emit(end=True)
