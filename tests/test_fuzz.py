"""Fuzzing the hook with random small broken models and wrong data (hypothesis).

Each example is a notebook cell written as a string: a random Sequential or functional stack of
Dense / Conv1D / Conv2D / MaxPooling / Flatten / Reshape / LSTM / Concatenate / Add layers with random
sizes, a random input shape (sometimes of the wrong rank), random data for ``fit`` / ``evaluate`` /
``predict`` (sometimes of the wrong shape), random labels (integers or one-hot, sometimes too wide or
out of range) and a random loss. The cell runs in the real shell with the automatic hook on.

The property, for every error a cell raises: it ends EITHER in a report with exactly one offending row
(a layer the cell named, or a data / target / loss row) and ``report.offending`` is that row's name, OR in
no report and IPython's normal traceback. The exception type is always shown, IPython's handler never
fails, and our fallback note ("could not build") never appears: a note would mean our code crashed.

``KSM_FUZZ_EXAMPLES`` sets the number of examples (50 by default; ``KSM_FUZZ_EXAMPLES=500 pytest
tests/test_fuzz.py`` is the larger run); the run is derandomized unless ``KSM_FUZZ_RANDOM=1``. A summary
(examples, raised, reported, fell back, failures) is printed (``pytest -s``) and written to
``artifacts/fuzz_summary.json``.
"""

from __future__ import annotations

import collections
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.integration

EXT = "keras_shapes_magic"
EXAMPLES = int(os.environ.get("KSM_FUZZ_EXAMPLES", "50"))
RANDOM = os.environ.get("KSM_FUZZ_RANDOM") == "1"
SUMMARY_PATH = Path(__file__).resolve().parent.parent / "artifacts" / "fuzz_summary.json"
IMPORTS = {"keras": "import keras", "tf_keras": "import tf_keras as keras"}
LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy", "mse")
DATA_KINDS = {"data", "target", "loss"}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

Dims = tuple[int | None, ...]  #: a shape without the batch axis; None for an unknown size


# --------------------------------------------------------------------------- the random cell
@dataclass
class Example:
    """One generated cell and the names of the layers it creates."""

    code: str
    flavour: str
    layer_names: set[str] = field(default_factory=set)
    action: str = "build"


def _out_dims(kind: str, params: dict[str, Any], dims: Dims | None, other: Dims | None = None) -> Dims | None:
    """The output shape (batch axis excluded) a layer would give; ``None`` when it would fail or is unknown."""
    if dims is None:
        return None
    rank = len(dims)
    try:
        if kind == "dense":
            return dims[:-1] + (params["units"],) if rank >= 1 else None
        if kind in ("conv1d", "conv2d"):
            spatial = 1 if kind == "conv1d" else 2
            if rank != spatial + 1:
                return None
            sizes = []
            for d in dims[:spatial]:
                if d is None or params["padding"] == "same":
                    sizes.append(d)
                else:
                    sizes.append(d - params["kernel"] + 1)
            if any(s is not None and s <= 0 for s in sizes):
                return None
            return tuple(sizes) + (params["filters"],)
        if kind in ("pool1d", "pool2d"):
            spatial = 1 if kind == "pool1d" else 2
            if rank != spatial + 1:
                return None
            sizes = [None if d is None else d // params["pool"] for d in dims[:spatial]]
            if any(s is not None and s <= 0 for s in sizes):
                return None
            return tuple(sizes) + (dims[-1],)
        if kind == "flatten":
            if rank < 1:
                return None
            return (None,) if any(d is None for d in dims) else (math.prod(dims),)
        if kind == "reshape":
            target = params["target"]
            if any(d is None for d in dims):
                return None
            size = math.prod(dims)
            if -1 in target:
                known = math.prod(t for t in target if t != -1)
                return tuple(size // known if t == -1 else t for t in target) if size % known == 0 else None
            return target if math.prod(target) == size else None
        if kind == "lstm":
            if rank != 2:
                return None
            return (dims[0], params["units"]) if params["return_sequences"] else (params["units"],)
        if kind in ("concat", "add"):
            if other is None or len(other) != rank:
                return None
            if kind == "add":
                return dims if dims == other else None
            if dims[:-1] != other[:-1] or dims[-1] is None or other[-1] is None:
                return None
            return dims[:-1] + (dims[-1] + other[-1],)
    except (TypeError, KeyError, ValueError):
        return None
    return None


LAYER_KINDS = ("dense", "conv1d", "conv2d", "pool1d", "pool2d", "flatten", "reshape", "lstm", "concat", "add")
FITS_RANK = {"conv1d": (2,), "conv2d": (3,), "pool1d": (2,), "pool2d": (3,), "lstm": (2,)}


def _layer_code(kind: str, params: dict[str, Any], name: str) -> str:
    if kind == "dense":
        return f'keras.layers.Dense({params["units"]}, name="{name}")'
    if kind == "conv1d":
        return f'keras.layers.Conv1D({params["filters"]}, {params["kernel"]}, padding="{params["padding"]}", ' \
               f'name="{name}")'
    if kind == "conv2d":
        return f'keras.layers.Conv2D({params["filters"]}, {params["kernel"]}, padding="{params["padding"]}", ' \
               f'name="{name}")'
    if kind == "pool1d":
        return f'keras.layers.MaxPooling1D({params["pool"]}, name="{name}")'
    if kind == "pool2d":
        return f'keras.layers.MaxPooling2D({params["pool"]}, name="{name}")'
    if kind == "flatten":
        return f'keras.layers.Flatten(name="{name}")'
    if kind == "reshape":
        return f'keras.layers.Reshape({params["target"]!r}, name="{name}")'
    if kind == "lstm":
        return f'keras.layers.LSTM({params["units"]}, return_sequences={params["return_sequences"]}, name="{name}")'
    if kind == "concat":
        return f'keras.layers.Concatenate(name="{name}")'
    if kind == "add":
        return f'keras.layers.Add(name="{name}")'
    raise AssertionError(kind)


@st.composite
def layer_params(draw: Any, kind: str, dims: Dims | None) -> dict[str, Any]:
    """Random sizes for one layer; a Reshape target is sometimes one that fits."""
    small = st.integers(1, 6)
    if kind == "dense":
        return {"units": draw(small)}
    if kind in ("conv1d", "conv2d"):
        return {"filters": draw(st.integers(1, 4)), "kernel": draw(st.integers(1, 4)),
                "padding": draw(st.sampled_from(["valid", "same"]))}
    if kind in ("pool1d", "pool2d"):
        return {"pool": draw(st.integers(1, 3))}
    if kind == "reshape":
        if dims is not None and all(d is not None for d in dims) and draw(st.integers(0, 3)) > 0:
            size = math.prod(dims)
            divisors = [d for d in range(1, size + 1) if size % d == 0]
            first = draw(st.sampled_from(divisors))
            target = draw(st.sampled_from([(first, size // first), (-1,), (size // first, first, 1), (first, -1)]))
        else:
            target = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
        return {"target": target}
    if kind == "lstm":
        return {"units": draw(st.integers(1, 4)), "return_sequences": draw(st.booleans())}
    return {}


@st.composite
def examples(draw: Any) -> Example:
    """A random cell that builds a small model and (maybe) runs it on random, maybe wrong, data."""
    flavour = draw(st.sampled_from(["keras", "keras", "tf_keras"]))
    functional = draw(st.booleans())
    with_input = functional or draw(st.integers(0, 3)) > 0
    rank = draw(st.integers(1, 3))
    unknown = functional and draw(st.integers(0, 5)) == 0
    in_dims: Dims = tuple(None if unknown and i < rank - 1 and draw(st.booleans()) else draw(st.integers(1, 8))
                          for i in range(rank))

    lines = ["import numpy as np", IMPORTS[flavour], "", "keras.backend.clear_session()",
             "rng = np.random.default_rng(0)"]
    names: set[str] = set()
    seq_items: list[str] = []
    if functional:
        lines.append(f'inp = keras.Input(shape={in_dims!r}, name="f_in")')
        names.add("f_in")
        lines += ["h = inp", "h0 = h"]
    else:
        if with_input:
            seq_items.append(f'keras.Input(shape={in_dims!r}, name="f_in")')
            names.add("f_in")

    dims: Dims | None = in_dims
    history: list[Dims | None] = [in_dims]
    n_layers = draw(st.integers(1, 4))
    for index in range(n_layers):
        allowed = [k for k in LAYER_KINDS if functional or k not in ("concat", "add")]
        if dims is not None and draw(st.integers(0, 4)) > 0:  # mostly a layer that fits the current shape
            fitting = [k for k in allowed if len(dims) in FITS_RANK.get(k, (len(dims),))]
            kind = draw(st.sampled_from(fitting or allowed))
        else:
            kind = draw(st.sampled_from(allowed))
        params = draw(layer_params(kind, dims))
        name = f"f{index + 1}_{kind}"
        names.add(name)
        other = None
        if kind in ("concat", "add"):
            source = draw(st.integers(0, len(history) - 1))
            other = history[source]
            if draw(st.booleans()):  # a branch of its own before the merge
                branch_units = draw(st.integers(1, 6))
                branch = f"f{index + 1}_branch"
                names.add(branch)
                lines.append(f'b{index + 1} = keras.layers.Dense({branch_units}, name="{branch}")(h{source})')
                other = _out_dims("dense", {"units": branch_units}, other)
                lines.append(f"h = {_layer_code(kind, params, name)}([h, b{index + 1}])")
            else:
                lines.append(f"h = {_layer_code(kind, params, name)}([h, h{source}])")
        elif functional:
            lines.append(f"h = {_layer_code(kind, params, name)}(h)")
        else:
            seq_items.append(_layer_code(kind, params, name))
        dims = _out_dims(kind, params, dims, other)
        history.append(dims)
        if functional:
            lines.append(f"h{index + 1} = h")

    units = draw(st.integers(1, 5))
    activation = draw(st.sampled_from([None, "softmax", "sigmoid"]))
    head = f'keras.layers.Dense({units}, activation={activation!r}, name="f_head")'
    names.add("f_head")
    out_dims = _out_dims("dense", {"units": units}, dims)
    if functional:
        lines.append(f"out = {head}(h)")
        lines.append('model = keras.Model(inp, out, name="fuzz_model")')
    else:
        seq_items.append(head)
        lines.append("model = keras.Sequential([\n    " + ",\n    ".join(seq_items) + ',\n], name="fuzz_model")')

    action = draw(st.sampled_from(["build", "predict", "fit", "fit", "fit", "evaluate"]))
    if action != "build":
        n = draw(st.integers(2, 6))
        data_dims = [d if d is not None else draw(st.integers(1, 6)) for d in in_dims]
        mistake = draw(st.sampled_from(["none", "none", "drop_axis", "add_axis", "wrong_size"]))
        if mistake == "drop_axis":
            data_dims = data_dims[:-1] if len(data_dims) > 1 else []
        elif mistake == "add_axis":
            data_dims = [*data_dims, 1]
        elif mistake == "wrong_size":
            axis = draw(st.integers(0, len(data_dims) - 1))
            data_dims[axis] = data_dims[axis] + draw(st.integers(1, 3))
        lines.append(f'x = rng.random({(n, *data_dims)!r}).astype("float32")')
        packing = draw(st.sampled_from(["array"] * 6 + ["list of two", "dict", "dict with a wrong key"]))
        x_arg = {"array": "x", "list of two": "[x, x]", "dict": '{"f_in": x}',
                 "dict with a wrong key": '{"wrong_key": x}'}[packing]
        if action == "predict":
            lines.append(f"model.predict({x_arg}, verbose=0)")
        else:
            loss = draw(st.sampled_from(LOSSES))
            eager = draw(st.booleans())
            lines.append(f'model.compile(optimizer="sgd", loss="{loss}", run_eagerly={eager})')
            width = out_dims[-1] if out_dims else units
            labels = draw(st.sampled_from(["int", "int_column", "one_hot", "floats"]))
            classes = max(1, width + draw(st.sampled_from([0, 0, 0, 1, 3])))  # sometimes too many classes
            n_labels = n if draw(st.integers(0, 7)) else n + 1
            if labels == "int":
                lines.append(f"y = rng.integers(0, {classes}, size=({n_labels},))")
            elif labels == "int_column":
                lines.append(f"y = rng.integers(0, {classes}, size=({n_labels}, 1))")
            elif labels == "one_hot":
                lines.append(f"y = np.eye({classes}, dtype='float32')[rng.integers(0, {classes}, size={n_labels})]")
            else:
                lead = tuple(d if d is not None else 2 for d in (out_dims or (units,))[:-1])
                wrong = draw(st.sampled_from([0, 0, 1]))
                lines.append(f'y = rng.random({(n_labels, *lead, width + wrong)!r}).astype("float32")')
            call = "fit" if action == "fit" else "evaluate"
            extra = ", epochs=1" if call == "fit" else ""
            lines.append(f"model.{call}({x_arg}, y, batch_size=4{extra}, verbose=0)")
    return Example("\n".join(lines) + "\n", flavour, names, action)


# --------------------------------------------------------------------------- the property
_stats: collections.Counter[str] = collections.Counter()
_errors: collections.Counter[str] = collections.Counter()
_families: collections.Counter[str] = collections.Counter()
_phases: collections.Counter[str] = collections.Counter()
_failures: list[dict[str, str]] = []
_fallbacks: list[str] = []
_unusual: list[str] = []


def check(cell: Any, example: Example) -> str:
    """The property for one cell; returns ``"passed"`` / ``"reported"`` / ``"fell back"``."""
    error = cell.error
    shown = cell.shown
    assert "Custom TB Handler failed" not in shown, shown
    assert "keras_shapes_magic: could not build" not in shown, f"our code crashed:\n{shown[-3000:]}"
    if error is None:
        assert cell.report is None, "a report without an error"
        return "passed"
    type_name = type(error).__name__
    assert type_name in shown, f"the exception type {type_name} is not shown:\n{shown[-3000:]}"
    report = cell.report
    if report is None:
        assert "ksm-report" not in shown
        assert "Traceback" in shown or "Cell In[" in shown or "---->" in shown, shown[-3000:]
        first_line = _ANSI.sub("", str(error)).strip().splitlines()[0][:80] if str(error).strip() else ""
        assert first_line in _ANSI.sub("", shown), f"the message {first_line!r} is not shown"
        return "fell back"
    offending = [row for row in report.rows if row.status == "offending"]
    assert len(offending) == 1, report.to_text()
    row = offending[0]
    assert report.offending == row.name, report.to_text()
    assert row.kind in DATA_KINDS or row.name in example.layer_names, (
        f"offending row {row.name!r} ({row.kind}) is neither a layer of the cell {sorted(example.layer_names)} "
        f"nor a data / target / loss row\n{report.to_text()}")
    assert sum(1 for o in cell.outputs if "ksm-report" in str(o.get("text/html", ""))) == 1
    if type_name != "ValueError":  # the rarer kinds of errors that got a report, for a human to look at
        _unusual.append(f"{type_name}: {report.summary[:160]} -> {report.offending} ({report.family})")
    return "reported"


def _write_summary() -> dict[str, Any]:
    summary = {
        "examples": _stats["examples"],
        "raised": _stats["raised"],
        "reported": _stats["reported"],
        "fell_back": _stats["fell back"],
        "failures": _stats["failures"],
        "keras": _stats["flavour keras"],
        "tf_keras": _stats["flavour tf_keras"],
        "seconds": round(_stats["milliseconds"] / 1000, 1),
        "max_examples": EXAMPLES,
        "derandomize": not RANDOM,
        "errors": dict(_errors.most_common()),
        "families": dict(_families.most_common()),
        "phases": dict(_phases.most_common()),
        "failure_samples": _failures[:5],
        "fallback_samples": _fallbacks[:20],
        "non_value_error_reports": _unusual[:20],
    }
    SUMMARY_PATH.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY_PATH.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


@pytest.fixture
def hook_shell(ksm_shell: Any) -> Any:
    """The shell with the automatic hook on; the run's summary printed and saved afterwards."""
    ksm_shell.run_line_magic("kerascheck", "on")
    _stats.clear()
    _errors.clear()
    _families.clear()
    _phases.clear()
    _failures.clear()
    _fallbacks.clear()
    _unusual.clear()
    try:
        yield ksm_shell
    finally:
        ksm_shell.run_cell("keras.backend.clear_session()\nimport gc as _gc; _gc.collect()", silent=True)
        summary = _write_summary()
        print("\nfuzz summary: " + ", ".join(f"{k}={summary[k]}" for k in (
            "examples", "raised", "reported", "fell_back", "failures", "keras", "tf_keras", "seconds")))
        print(f"fuzz errors: {summary['errors']}")
        print(f"fuzz report families: {summary['families']}")
        print(f"fuzz report phases: {summary['phases']}")
        print(f"written to {SUMMARY_PATH}")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(example=examples())
def test_every_error_ends_in_one_report_or_the_normal_traceback(hook_shell: Any, example: Example) -> None:
    started = time.perf_counter()
    cell = run_cell(hook_shell, example.code)
    _stats["milliseconds"] += int((time.perf_counter() - started) * 1000)
    _stats["examples"] += 1
    _stats[f"flavour {example.flavour}"] += 1
    if cell.error is not None:
        _stats["raised"] += 1
        _errors[type(cell.error).__name__] += 1
    try:
        outcome = check(cell, example)
    except AssertionError as failure:
        _stats["failures"] += 1
        _failures.append({"code": example.code, "failure": re.sub(r"\s+", " ", str(failure))[:600]})
        raise AssertionError(f"{failure}\n--- cell ---\n{example.code}") from None
    _stats[outcome] += 1
    if outcome == "fell back":
        message = _ANSI.sub("", str(cell.error)).strip().splitlines()
        _fallbacks.append(f"{type(cell.error).__name__}: {message[0][:160] if message else ''}")
    if cell.report is not None:
        _families[cell.report.family] += 1
        _phases[f"{example.action}: {cell.report.phase or '?'}"] += 1
