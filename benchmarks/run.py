"""Performance and memory figures of keras_shapes_magic, each a same-run ratio against a baseline.

    python benchmarks/run.py            # full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats
    python benchmarks/run.py --json results.json

Every figure runs in a fresh subprocess (``--worker NAME``), so one figure's imports,
caches and memory cannot leak into another's. Timings are medians over repeats, and
every timed figure is a ratio against a baseline measured in the same process and
interleaved with it (the order rotates every round), because other processes may share
the machine.
Nothing here asserts on time: the script reports, it does not fail.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.metadata
import io
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

EXT = "keras_shapes_magic"
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------- the cells the shell runs
#: The successful cell of the overhead figure: build and fit a small CNN.
FIT_CELL = """\
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.rand(64, 28, 28, 1).astype("float32")
y = np.random.randint(0, 10, 64)
history = model.fit(x, y, epochs=1, batch_size=16, verbose=0)
"""
#: Between two timed cells (not timed): the same fresh start for every configuration.
RESET_CELL = "keras.backend.clear_session()\ncollected = gc.collect()"

#: The failing cell of the memory figure: a large array and a model, a shape error in fit.
MEMORY_CELL = """\
x = np.ones((4096, 28, 28, 1), dtype="float32")   # 12.8 MB, the data the user wants back
y = np.zeros(4096, dtype="int64")
model = keras.Sequential([keras.Input((28, 28, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
bench_refs = {"model": weakref.ref(model), "x": weakref.ref(x)}
model.fit(x, y, epochs=1, batch_size=32, verbose=0)   # wrong channels: a shape error
"""

#: The failing cell of the many-failures figure: a construction-time concatenate error (fast).
FAILING_CELL = """\
inp = keras.Input(shape=(32, 32, 3))
a = keras.layers.MaxPooling2D((2, 2))(keras.layers.Conv2D(4, 3, padding="same")(inp))
b = keras.layers.Conv2D(8, (5, 5))(inp)
merged = keras.layers.concatenate([a, b])
"""

TARGETS = {
    "overhead": 1.02,
    "load_ms": 30.0,
    "latency": 0.5,
    "bytes_per_row": 2048,
    "failure_excess_mb": 1.0,
    "failure_excess_objects_per_cell": 0.5,
}


# =========================================================================== helpers (workers)
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


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _quartiles(values: list[float]) -> tuple[float, float]:
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
    _run_ok(shell, "import gc\nimport sys\nimport keras\nimport numpy as np")
    configs = "ULMT"
    cells = {"U": FIT_CELL, "L": FIT_CELL, "M": "%%kerascheck\n" + FIT_CELL, "T": "%%time\n" + FIT_CELL}
    sink = open(os.devnull, "w")  # noqa: SIM115 - %%time prints; every configuration prints to the same sink

    def timed(config: str) -> tuple[float, float, int]:
        _set_loaded(shell, config != "U")
        _run_ok(shell, RESET_CELL)
        with contextlib.redirect_stdout(sink):
            faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            wall0, cpu0 = time.perf_counter(), time.process_time()
            _run_ok(shell, cells[config])
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
    _run_ok(shell, "def bench_depth():\n    f, n = sys._getframe(1), 0\n    while f is not None:\n"
                   "        f, n = f.f_back, n + 1\n    return n\n")
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
            _run_ok(shell, RESET_CELL)
            records["n"] = 0
            seconds, calls = _own_time(lambda config=config: _run_ok(shell, cells[config]))
            own[config] = {"seconds": seconds, "calls": calls, "captures": records["n"]}
    finally:
        capture._record = original_record  # type: ignore[assignment]
    return {
        "rounds": rounds,
        "wall": wall,
        "cpu": cpu,
        "ratios": ratios,
        "cpu_ratios": cpu_ratios,
        "median_wall": {c: _median(v) for c, v in wall.items()},
        "median_ratio": {k: _median(v) for k, v in ratios.items()},
        "iqr_ratio": {k: _quartiles(v) for k, v in ratios.items()},
        "median_cpu_ratio": {k: _median(v) for k, v in cpu_ratios.items()},
        "median_faults": {c: _median(v) for c, v in faults.items()},
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
    if target == EXT and seconds * 1000 > TARGETS["load_ms"]:
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


def _script_failure(call: Callable[[], Any]) -> Callable[[], tuple[BaseException, dict[str, Any] | None]]:
    """Call ``call`` from this file (a plain script) and return what it raised."""

    def fail() -> tuple[BaseException, dict[str, Any] | None]:
        try:
            call()
        except Exception as error:
            return error, None
        raise RuntimeError("the call did not raise")

    return fail


def _report_latency(model: Any, fails: dict[str, Callable[[], tuple[BaseException, dict[str, Any] | None]]],
                    rounds: int, name: str) -> dict[str, Any]:
    """Interleaved: raise, then diagnose + to_frame + to_html + to_text (timed), vs ``model.summary``.

    ``fails`` maps a scenario to a function that raises the error and returns it (with the
    namespace to pass to ``diagnose``): ``cell`` (a real IPython cell, as in a notebook) and
    ``script`` (the failing line sits in this ~1,100-line file, as in a plain script).
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
        "median_summary": _median(times["summary"]),
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
        breakdown["diagnose (total, wrapped)"] = _median(diagnose_seconds)
        result["scenarios"][scenario] = {
            "breakdown": breakdown,
            "median_report": _median(times[scenario]),
            "median_ratio": _median(ratios),
            "iqr_ratio": _quartiles(ratios),
            "parts": {k: _median(v) for k, v in parts[scenario].items()},
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
    fails = {"cell": _cell_failure(shell, "preds = model.predict(images, verbose=0)\n"),
             "script": _script_failure(lambda: model.predict(images, verbose=0))}
    return _report_latency(model, fails, rounds=6 if quick else 15, name="ResNet50")


def worker_deep(quick: bool) -> dict[str, Any]:
    _quiet_tf()
    from keras_shapes_magic import capture

    capture.install()
    import keras

    inputs = keras.Input(shape=(8,), name="deep_input")
    hidden = inputs
    for i in range(400):
        hidden = keras.layers.Dense(8, name=f"dense_{i}")(hidden)
    model = keras.Model(inputs, hidden, name="deep400")  # the first 400 layers: the summary baseline
    shell = _shell()
    shell.user_ns.update(keras=keras, hidden=hidden)

    def reshape() -> Any:
        return keras.layers.Reshape((3, 3), name="bad_reshape")(hidden)  # 8 values cannot become 3 x 3

    fails = {"cell": _cell_failure(shell, 'out = keras.layers.Reshape((3, 3), name="bad_reshape")(hidden)\n'),
             "script": _script_failure(reshape)}
    return _report_latency(model, fails, rounds=6 if quick else 15, name="deep400")


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
        result = shell.run_cell(MEMORY_CELL, store_history=True)
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


def worker_failures(hook: bool, cells: int) -> dict[str, Any]:
    """``cells`` failing cells in one shell; RSS, gc-tracked objects and our live objects sampled."""
    _quiet_tf()
    import keras_shapes_magic as ksm

    shell = _shell()
    if hook:
        _set_loaded(shell, True)
    _run_ok(shell, "import gc\nimport keras\nimport numpy as np")
    sink = open(os.devnull, "w")  # noqa: SIM115 - kept open for the worker's life
    checkpoints = sorted({c for c in (100, 250, 500, 750, cells) if c <= cells})
    samples: dict[int, dict[str, float]] = {}
    ours: dict[int, dict[str, int]] = {}
    reports = 0
    last = ksm.last_report()
    start = time.perf_counter()
    for i in range(1, cells + 1):
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = shell.run_cell(FAILING_CELL, store_history=True)
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
        "cells": cells,
        "reports": reports,
        "samples": {str(k): v for k, v in samples.items()},
        "ours_first": ours[first],
        "ours_final": ours[final],
        "last_report_rows": len(last.rows) if last is not None else 0,
        "last_report_bytes": deep_size(last) if last is not None else 0,
        "span": span,
        "first": first,
        "seconds_per_cell": samples[final]["seconds"] / cells,
        "growth_mb": growth_mb,
        "growth_kb_per_cell": growth_mb * 1024 / max(1, span),
        "growth_objects": growth_objects,
        "objects_per_cell": growth_objects / max(1, span),
    }


# =========================================================================== the driver
def _run_worker(name: str, *args: str, timeout: float = 900, env_changes: dict[str, str | None] | None = None
                ) -> dict[str, Any]:
    """Run one worker in a fresh interpreter; its result comes back through a JSON file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
        for key, value in (env_changes or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        command = [sys.executable, os.path.abspath(__file__), "--worker", name, "--out", out, *args]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not os.path.exists(out):
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            return {"error": f"worker {name} {' '.join(args)} exited {done.returncode}:\n{tail}"}
        with open(out) as handle:
            return json.load(handle)


def _start_worker(name: str, *args: str) -> tuple[subprocess.Popen[str], str, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory()
    out = os.path.join(tmp.name, "out.json")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    command = [sys.executable, os.path.abspath(__file__), "--worker", name, "--out", out, *args]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, out, tmp


def _finish_worker(started: tuple[subprocess.Popen[str], str, tempfile.TemporaryDirectory[str]],
                   name: str) -> dict[str, Any]:
    process, out, tmp = started
    try:
        _stdout, stderr = process.communicate(timeout=900)
        if process.returncode != 0 or not os.path.exists(out):
            tail = "\n".join(stderr.strip().splitlines()[-15:])
            return {"error": f"worker {name} exited {process.returncode}:\n{tail}"}
        with open(out) as handle:
            return json.load(handle)
    finally:
        tmp.cleanup()


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = float("nan")
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal"):
                    ram_gb = int(line.split()[1]) / 2**20
                    break
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "-"

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "tensorflow": version("tensorflow"),
        "keras": version("keras"),
        "ipython": version("ipython"),
        "numpy": version("numpy"),
        "pandas": version("pandas"),
        "keras_shapes_magic": version("keras_shapes_magic"),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _own_lines() -> int:
    with open(os.path.abspath(__file__)) as handle:
        return sum(1 for _ in handle)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**NO**"


def collect(quick: bool, log: Callable[[str], None]) -> dict[str, Any]:
    results: dict[str, Any] = {"quick": quick, "machine": machine()}
    log("overhead on success (interleaved U/L/M cells in one shell) ...")
    results["overhead"] = _run_worker("overhead", *(["--quick"] if quick else []))

    log("extension load (fresh interpreters, interleaved) ...")
    # Primary: with a bytecode cache, as after a normal install. Our own cache directory (not the
    # repository's __pycache__), warmed once per target before the timed runs.
    with tempfile.TemporaryDirectory() as pycache:
        warm = {"PYTHONPYCACHEPREFIX": pycache, "PYTHONDONTWRITEBYTECODE": None}
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

    log("report latency, ResNet50 ...")
    results["resnet"] = _run_worker("resnet", *(["--quick"] if quick else []))
    log("report latency, 400-layer model ...")
    results["deep"] = _run_worker("deep", *(["--quick"] if quick else []))
    log("memory after a report ...")
    results["memory"] = _run_worker("memory")

    cells = 1000
    log(f"{cells} failing cells, with the hook and without (control), side by side ...")
    with_hook = _start_worker("failures", "--hook", "on", "--cells", str(cells))
    control = _start_worker("failures", "--hook", "off", "--cells", str(cells))
    results["failures"] = {"hook": _finish_worker(with_hook, "failures hook"),
                           "control": _finish_worker(control, "failures control")}
    return results


def table(results: dict[str, Any]) -> tuple[list[list[str]], list[str]]:
    """The Markdown rows, and the detail lines printed under the table."""
    rows: list[list[str]] = []
    details: list[str] = []
    missed: list[str] = []

    over = results["overhead"]
    if "error" in over:
        rows.append(["overhead on success", "error", "", "", "", "**NO**"])
        details.append(over["error"])
    else:
        wall = over["median_wall"]
        labels = {
            "hook": ("overhead on success: extension loaded (hook), plain cell", "L", "U", "not loaded"),
            "magic_vs_loaded": ("overhead on success: `%%kerascheck` cell", "M", "L", "plain cell, ext. loaded"),
            "magic_vs_unloaded": ("overhead on success: `%%kerascheck` cell", "M", "U", "plain cell, not loaded"),
        }
        for key, (label, a, b, base_name) in labels.items():
            ratio = over["median_ratio"][key]
            q1, q3 = over["iqr_ratio"][key]
            ok = ratio <= TARGETS["overhead"]
            rows.append([label, _ms(wall[a]), f"{_ms(wall[b])} ({base_name})",
                         f"{ratio:.3f}× (IQR {q1:.3f}–{q3:.3f})", f"≤ {TARGETS['overhead']:.2f}×", _yes(ok)])
            if not ok:
                missed.append(f"{label} vs {base_name}")
        q1, q3 = over["iqr_ratio"]["time_vs_loaded"]
        rows.append(["reference: IPython's own `%%time` cell", _ms(wall["T"]), f"{_ms(wall['L'])} (plain cell)",
                     f"{over['median_ratio']['time_vs_loaded']:.3f}× (IQR {q1:.3f}–{q3:.3f})", "(informational)",
                     "-"])
        details.append(f"- overhead: {over['rounds']} interleaved rounds (U = not loaded, L = loaded, M = "
                       "`%%kerascheck`, T = `%%time`; the order changes every round) after 2 warm-up rounds; "
                       "each cell builds, compiles and fits a Conv2D(8)+Flatten+Dense(10) on 64×28×28×1, batch 16, "
                       "1 epoch; `keras.backend.clear_session()` before every timed cell (untimed). Ratios are "
                       "paired per round, then the median.")
        details.append("  - CPU-time (process_time) median ratios: "
                       + ", ".join(f"{k} {v:.3f}×" for k, v in over["median_cpu_ratio"].items())
                       + f"; `%%kerascheck` vs `%%time`: {over['median_ratio']['magic_vs_time']:.3f}× wall")
        own = over["own_code"]
        details.append("  - cProfile of one successful cell, time in keras_shapes_magic's own functions: "
                       + "; ".join(f"{'hook only' if c == 'L' else '%%kerascheck'} {v['seconds'] * 1000:.2f} ms "
                                   f"in {v['calls']} calls, frame captures fired {v['captures']}×"
                                   for c, v in own.items()))
        faults = over["median_faults"]
        depths = over["depths"]
        details.append("  - minor page faults per cell (median): "
                       + ", ".join(f"{c} {faults[c]:.0f}" for c in "ULMT")
                       + "; Python stack depth of the cell's code: "
                       + ", ".join(f"{c} {depths[c]}" for c in depths)
                       + " frames (CPython ≤ 3.13 frees and re-maps a 16 KB frame-stack chunk each time a hot "
                         "call crosses a chunk boundary, python/cpython#142183: the depth at which `fit` runs "
                         "decides how often; more faults = that)")

    loads = results["load"]
    errors = [r["error"] for runs in loads.values() for r in runs if "error" in r]
    if errors:
        rows.append(["extension load", "error", "", "", "", "**NO**"])
        details.append(errors[0])
    else:
        ours = [r["seconds"] for r in loads[EXT]]
        base = [r["seconds"] for r in loads["autoreload"]]
        tf = any(r["tensorflow"] or r["keras"] for r in loads[EXT])
        heavy = sorted({m for r in loads[EXT] for m in r["heavy"]})
        value = _median(ours)
        ok = value * 1000 <= TARGETS["load_ms"] and not tf
        rows.append(["extension load (`%load_ext`, fresh process, bytecode cached)", _ms(value),
                     f"{_ms(_median(base))} (`%load_ext autoreload`)",
                     f"{value / _median(base):.1f}×; TF/Keras imported: {'yes' if tf else 'no'}",
                     f"≤ {TARGETS['load_ms']:.0f} ms, no TF import", _yes(ok)])
        if not ok:
            missed.append("extension load")
        details.append(f"- extension load: {len(ours)} fresh interpreters each, alternating, .pyc files in a "
                       "temporary PYTHONPYCACHEPREFIX warmed once; heavy modules imported by the load: "
                       f"{', '.join(heavy) or 'none'}; our modules imported: {', '.join(loads[EXT][0]['ours'])}; "
                       f"all runs (ms): ours {[round(s * 1000, 1) for s in ours]}, "
                       f"autoreload {[round(s * 1000, 1) for s in base]}")
        as_is = results.get("load_env") or {}
        if as_is and not any("error" in r for runs in as_is.values() for r in runs):
            ours_env = _median([r["seconds"] for r in as_is[EXT]])
            base_env = _median([r["seconds"] for r in as_is["autoreload"]])
            rows.append(["extension load, as this environment runs it (PYTHONDONTWRITEBYTECODE=1: no .pyc, "
                         "compiled from source)", _ms(ours_env), f"{_ms(base_env)} (`%load_ext autoreload`)",
                         f"{ours_env / base_env:.1f}×", "(informational)", "-"])

    for key, label in (("resnet", "report latency, ResNet50"), ("deep", "report latency, 400 Dense layers")):
        res = results[key]
        if "error" in res:
            rows.append([label, "error", "", "", "", "**NO**"])
            details.append(res["error"])
            continue
        for scenario, where in (("cell", "failing line in a notebook-like cell"),
                                ("script", f"failing line in a {_own_lines():,}-line script")):
            sc = res["scenarios"][scenario]
            ok = sc["median_ratio"] <= TARGETS["latency"]
            q1, q3 = sc["iqr_ratio"]
            name = f"{label} ({res['rows']} rows), {where}"
            rows.append([name, _ms(sc["median_report"]), f"{_ms(res['median_summary'])} (`model.summary`)",
                         f"{sc['median_ratio']:.2f}× (IQR {q1:.2f}–{q3:.2f})", f"≤ {TARGETS['latency']}×", _yes(ok)])
            if not ok:
                missed.append(name)
            details.append(f"- {name}: median parts "
                           + ", ".join(f"{k} {_ms(v)}" for k, v in sc["parts"].items())
                           + "; inside diagnose (3 reports, each function wrapped and timed, no profiler): "
                           + ", ".join(f"{k.strip()} {_ms(v)}" for k, v in sc["breakdown"].items()))
        details.append(f"  - {label}: {res['rounds']} interleaved rounds; offending `{res['offending']}` "
                       f"({res['family']}); cold (first in the process): report {_ms(res['cold_report'])} vs "
                       f"summary {_ms(res['cold_summary'])}")

    mem = results["memory"]
    if "error" in mem:
        rows.append(["memory after a report", "error", "", "", "", "**NO**"])
        details.append(mem["error"])
    else:
        after = mem["freed_after_clearing"]
        before = mem["freed_before_clearing"]
        held = [name for name, freed in after.items() if not freed]
        ok = not held
        rows.append(["memory: model + 12.8 MB array freed after `del` (IPython's refs cleared)",
                     f"{2 - len(held)}/2 freed", "-", f"{len(held)} held" + (f" ({', '.join(held)})" if held else ""),
                     "0 held", _yes(ok)])
        if not ok:
            missed.append("memory: objects held")
        still = [name for name, freed in before.items() if not freed]
        rows.append(["memory: … before clearing IPython's `sys.last_*` / Out", f"{2 - len(still)}/2 freed", "-",
                     f"{len(still)} held" + (f" ({', '.join(still)})" if still else ""), "(informational)", "-"])
        details.append(f"- memory: the cell failed with {mem['error_type']} in fit, the hook showed a report "
                       f"({mem['report_rows']} rows, {mem['report_family']}); RSS {mem['rss_before_mb']:.0f} → "
                       f"{mem['rss_after_report_mb']:.0f} MB after the report → {mem['rss_end_mb']:.0f} MB after "
                       "`del` + clearing. Still alive after each step: "
                       + "; ".join(f"{label}: {', '.join(alive) or 'nothing'}" for label, alive in mem["steps"]))
        for name, chains in mem["holders_before"].items():
            details.append(f"  - `{name}` before clearing, referrer chains: " + " | ".join(chains[:3]))
        for name, chains in mem["holders_after"].items():
            details.append(f"  - `{name}` STILL held after clearing IPython's references, by: "
                           + " | ".join(chains[:6]))

    for key, label in (("resnet", "ResNet50"), ("deep", "400-layer"), ("memory", "small CNN")):
        res = results[key]
        if "error" in res:
            continue
        rows_count = res.get("rows", res.get("report_rows", 0))
        per_row = res["bytes_per_row"]
        ok = per_row <= TARGETS["bytes_per_row"]
        rows.append([f"report size per row ({label}, {rows_count} rows)", f"{per_row / 1024:.2f} KB/row",
                     f"{res['report_bytes'] / 1024:.0f} KB total",
                     f"of which traceback text {res['traceback_bytes'] / 1024:.1f} KB",
                     "≤ 2 KB/row", _yes(ok)])
        if not ok:
            missed.append(f"report size per row ({label})")
        if "row_bytes" in res:
            details.append(f"- {label} report: first rows {res['row_bytes']} bytes each")

    fail = results["failures"]
    hook, control = fail["hook"], fail["control"]
    if "error" in hook or "error" in control:
        rows.append(["1,000 failing cells", "error", "", "", "", "**NO**"])
        details.append(hook.get("error", "") or control.get("error", ""))
    else:
        excess_mb = hook["growth_mb"] - control["growth_mb"]
        excess_objects = hook["objects_per_cell"] - control["objects_per_cell"]
        ours_grew = {k: (hook["ours_first"].get(k, 0), v) for k, v in hook["ours_final"].items()
                     if v > hook["ours_first"].get(k, 0)}
        rss_ok = excess_mb <= max(TARGETS["failure_excess_mb"], 0.1 * abs(control["growth_mb"]))
        ok = (rss_ok and excess_objects <= TARGETS["failure_excess_objects_per_cell"] and not ours_grew
              and hook["reports"] == hook["cells"])
        rows.append([f"{hook['cells']:,} failing cells (hook): RSS growth, cell {hook['first']} → {hook['cells']}",
                     f"{hook['growth_mb']:+.1f} MB ({hook['growth_kb_per_cell']:+.1f} KB/cell)",
                     f"{control['growth_mb']:+.1f} MB ({control['growth_kb_per_cell']:+.1f} KB/cell), "
                     "same cells, no extension",
                     f"excess {excess_mb:+.1f} MB; {excess_objects:+.2f} gc objects/cell; our live objects "
                     + ("grew: " + str(ours_grew) if ours_grew else "constant"),
                     "flat: no growth beyond the last report", _yes(ok)])
        if not ok:
            missed.append("many failures")
        details.append(f"- many failures: {hook['reports']} reports for {hook['cells']} failing cells (a tiny "
                       "functional model whose `concatenate` fails, built anew in every cell, store_history=True); "
                       f"{hook['seconds_per_cell'] * 1000:.0f} ms/cell with the hook vs "
                       f"{control['seconds_per_cell'] * 1000:.0f} ms/cell without (both ran side by side). "
                       f"gc-tracked objects: {hook['objects_per_cell']:+.2f}/cell with the hook, "
                       f"{control['objects_per_cell']:+.2f}/cell without. The RSS growth that happens in both runs "
                       "is Keras/TF/IPython's, not ours (it is there without the extension).")
        details.append(f"  - keras_shapes_magic's live objects at cell {hook['first']} and {hook['cells']}: "
                       + ", ".join(f"{k} {hook['ours_first'].get(k, 0)}→{v}" for k, v in hook["ours_final"].items())
                       + f"; the last report: {hook['last_report_rows']} rows, "
                       f"{hook['last_report_bytes'] / 1024:.1f} KB")
        for which, res in (("hook", hook), ("control", control)):
            details.append(f"  - {which} samples: " + ", ".join(
                f"cell {k}: {v['rss_mb']:.0f} MB / {v['objects']:,} objects" for k, v in res["samples"].items()))

    results["missed"] = missed
    return rows, details


def render(results: dict[str, Any], elapsed: float) -> str:
    m = results["machine"]
    lines = [
        "# keras_shapes_magic benchmarks" + (" (--quick)" if results["quick"] else ""),
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}",
        f"Python {m['python']}, TensorFlow {m['tensorflow']}, Keras {m['keras']}, IPython {m['ipython']}, "
        f"NumPy {m['numpy']}, pandas {m['pandas']}, keras_shapes_magic {m['keras_shapes_magic']}",
        f"Load average at start: {m['load_average_at_start']}",
        "",
    ]
    rows, details = table(results)
    header = ["figure", "measured", "baseline", "ratio / value", "target", "met?"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    lines += ["", "Medians over repeated runs; every ratio is against a baseline measured in the same run.", ""]
    lines += ["Details:", *details]
    profiles = []
    for key in ("resnet", "deep"):
        res = results[key]
        if "error" in res:
            continue
        label = "ResNet50" if key == "resnet" else "400-layer"
        for scenario, sc in res["scenarios"].items():
            if sc["median_ratio"] > TARGETS["latency"] or results.get("show_profiles"):
                profiles.append(f"\ncProfile, 3 reports ({label}, {scenario}), by cumulative time:")
                profiles += ["    " + line for line in sc["profile"]]
                profiles.append(f"cProfile, 3 reports ({label}, {scenario}), by own time:")
                profiles += ["    " + line for line in sc["profile_tottime"]]
        if any(sc["median_ratio"] > TARGETS["latency"] for sc in res["scenarios"].values()) \
                or results.get("show_profiles"):
            profiles.append(f"cProfile, 3 × model.summary ({label}):")
            profiles += ["    " + line for line in res["summary_profile"]]
    load_median = _median([r.get("seconds", 0.0) for r in results["load"].get(EXT, [])])
    for run in results["load"].get(EXT, []) if load_median * 1000 > TARGETS["load_ms"] else []:
        if run.get("profile"):
            profiles.append("\ncProfile of `%load_ext keras_shapes_magic` (a slow run):")
            profiles += ["    " + line for line in run["profile"]]
            break
    if profiles:
        lines += ["", "Profiles:", *profiles]
    missed = results["missed"]
    lines += ["", f"Targets missed: {', '.join(missed) if missed else 'none'}",
              f"Runtime: {elapsed:.0f} s"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about half the time)")
    parser.add_argument("--json", metavar="PATH", help="also write every raw measurement to PATH")
    parser.add_argument("--profiles", action="store_true", help="print the report-latency profiles even when met")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--hook", choices=["on", "off"], help=argparse.SUPPRESS)
    parser.add_argument("--cells", type=int, default=1000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        workers: dict[str, Callable[[], dict[str, Any]]] = {
            "overhead": lambda: worker_overhead(args.quick),
            "load": lambda: worker_load(args.target),
            "resnet": lambda: worker_resnet(args.quick),
            "deep": lambda: worker_deep(args.quick),
            "memory": lambda: worker_memory(args.quick),
            "failures": lambda: worker_failures(args.hook == "on", args.cells),
        }
        data = workers[args.worker]()
        with open(args.out, "w") as handle:
            json.dump(data, handle)
        return 0

    start = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - start:5.0f} s] {message}", file=sys.stderr, flush=True)

    results = collect(args.quick, log)
    results["show_profiles"] = args.profiles
    elapsed = time.perf_counter() - start
    text = render(results, elapsed)
    print(text)
    if args.json:
        results["runtime_seconds"] = elapsed
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
