"""A corpus of CORRECT, realistic Keras programs must run clean, with no shape report, in both flavours.

``tests/correct_programs/pNN_*.py`` follow the official Keras examples (keras-io), shrunk to random
data of the real shapes. They are the false-alarm guard for checks of cells that PASS: every idiom in
them (``np.expand_dims(x, -1)`` for MNIST, ``(N,)`` targets against ``Dense(1)``, a ``(N,)`` column fed
to ``Input(shape=(1,))``, sparse labels ``(N, 1)`` or ``(N, H, W, 1)``, ``Softmax(axis=1)`` over time, ...)
is documented Keras usage, so a report on any of them is a bug.

The runner (``tests/correct_programs/run.py``) runs all programs of a flavour in ONE fresh IPython
subprocess, every cell under ``%%kerascheck``; the two flavours' subprocesses run side by side.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

RUNNER = Path(__file__).resolve().parent / "correct_programs" / "run.py"
_spec = importlib.util.spec_from_file_location("ksm_correct_programs_run", RUNNER)
assert _spec is not None and _spec.loader is not None
correct = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = correct
_spec.loader.exec_module(correct)

PROGRAMS = correct.load_programs()
HAVE_TF_KERAS = importlib.util.find_spec("tf_keras") is not None
CASES = [
    pytest.param(flavour, program["name"], id=f"{flavour}-{program['name']}")
    for flavour in correct.FLAVOURS
    for program in PROGRAMS
    if flavour in program["flavours"]
]


# ----------------------------------------------------------------------------- the corpus itself (no TensorFlow)


def test_corpus_has_at_least_22_well_formed_programs() -> None:
    assert len(PROGRAMS) >= 22
    names = [p["name"] for p in PROGRAMS]
    assert len(set(names)) == len(names)
    for program in PROGRAMS:
        assert program["title"].strip(), program["name"]
        assert program["source"].startswith("https://github.com/"), program["name"]
        assert program["flavours"] and set(program["flavours"]) <= set(correct.FLAVOURS), program["name"]
        cells = program["cells"]
        assert cells and all(isinstance(c, str) and c.strip() for c in cells), program["name"]
        code = "\n".join(cells)
        compile(code, program["name"], "exec")  # every cell is plain Python (no magics of its own)
        assert ".fit(" in code, f"{program['name']} never calls fit"
        assert ".evaluate(" in code or ".predict(" in code, f"{program['name']} never evaluates or predicts"
        assert "import keras" in code, f"{program['name']} does not import keras (the tf_keras rewrite needs it)"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import keras\n", "import tf_keras as keras\n"),
        ("import keras  # Keras 3\n", "import tf_keras as keras  # Keras 3\n"),
        ("from keras import layers\n", "from tf_keras import layers\n"),
        ("from keras.layers import Conv2D, Input\n", "from tf_keras.layers import Conv2D, Input\n"),
        ("    from keras import ops\n", "    from tf_keras import ops\n"),
        ("import keras_shapes_magic\nx = keras.Input((1,))\n", "import keras_shapes_magic\nx = keras.Input((1,))\n"),
        ("from keras_shapes_magic import diagnose\n", "from keras_shapes_magic import diagnose\n"),
    ],
)
def test_tf_keras_rewrite(code: str, expected: str) -> None:
    assert correct.for_flavour(code, "tf_keras") == expected
    assert correct.for_flavour(code, "keras3") == code


# ----------------------------------------------------------------------------- running them


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    """Both flavours, every cell under ``%%kerascheck``, the two subprocesses side by side."""
    flavours = [f for f in correct.FLAVOURS if f != "tf_keras" or HAVE_TF_KERAS]
    result = correct.run(flavours, magic=True, parallel=(os.cpu_count() or 1) >= 2)
    line, _ = correct.summary_line(result)
    timing = ", ".join(
        f"{f}: {r.seconds:.0f}s wall, {sum(p.cpu_seconds for p in r.results):.0f}s cpu" for f, r in result.items()
    )
    print(f"\n{line}  ({timing})")
    return result


@pytest.mark.integration
@pytest.mark.parametrize(("flavour", "name"), CASES)
def test_correct_program_runs_clean(runs: dict[str, Any], flavour: str, name: str) -> None:
    if flavour == "tf_keras" and not HAVE_TF_KERAS:
        pytest.skip("tf_keras is not installed")
    flavour_run = runs[flavour]
    (result,) = [r for r in flavour_run.results if r.name == name]
    assert result.ran
    assert not result.raised, (
        f"{name} ({flavour}) raised in cell {result.error_cell}: {result.error}\n"
        f"--- stderr ---\n{result.stderr[-3000:]}"
    )
    # No error report and no warning: only clean "checked: ..." lines (a warning here is a false alarm).
    assert result.report_outputs == 0, f"{name} ({flavour}) displayed a shape report:\n{result.report_text}"
    assert not result.new_report, f"{name} ({flavour}) produced a shape report or warning:\n{result.report_text}"
    # and the check really ran: every program fits, so at least one cell shows its "checked" line
    assert result.checked_outputs >= 1, f"{name} ({flavour}): no passing cell was checked"


@pytest.mark.integration
def test_every_flavour_worker_exits_cleanly(runs: dict[str, Any]) -> None:
    for flavour, flavour_run in runs.items():
        assert flavour_run.returncode == 0, f"{flavour} worker exit {flavour_run.returncode}:\n" \
                                            f"{flavour_run.process_output[-4000:]}"
        ran = {r.name for r in flavour_run.results if r.ran}
        assert ran == {p["name"] for p in PROGRAMS if flavour in p["flavours"]}
