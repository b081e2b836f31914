"""``%%kerascheck`` on cells that PASS: the "checked" line, the table, and the shape hazards Keras lets through.

Real IPython shell, real Keras 3 (tf_keras in a subprocess, for the hazards only it lets through).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

pytestmark = pytest.mark.integration

SETUP = """
import numpy as np
import keras
keras.backend.clear_session()
keras.utils.set_random_seed(0)
"""


@pytest.fixture
def checked(run: Any) -> Any:
    """``checked(code)``: run ``code`` as a ``%%kerascheck`` cell after a fresh Keras session."""
    assert run(SETUP).error is None

    def go(code: str, magic: bool = True) -> Any:
        cell = run(("%%kerascheck\n" if magic else "") + textwrap.dedent(code))
        assert cell.error is None, cell.shown
        return cell
    return go


def warned(report: Any) -> dict[str, str]:
    """``{row: check}`` of a report's warnings; every warned row is a ``warning`` row of the DataFrame."""
    frame = report.to_frame()
    found = {w.row: w.check for w in report.warnings}
    assert set(frame.loc[frame["status"] == "warning", "name"]) == set(found)
    for w in report.warnings:
        assert w.cause and w.fixes, w
    return found


def test_a_clean_fit_shows_one_checked_line_and_sets_last_report(checked: Any) -> None:
    cell = checked("""
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, name="hidden"),
                                  keras.layers.Dense(1, name="out")])
        model.compile(loss="mse", optimizer="adam")
        features, prices = np.random.rand(32, 4), np.random.rand(32)
        model.fit(features, prices, epochs=1, verbose=0)
    """)
    report = cell.report
    assert report is not None and report.passed is True and report.offending is None and report.warnings == ()
    assert report.summary.startswith("checked: sequential") and "no shape problems" in report.summary
    assert "fit x (32, 4)" in report.summary and "y (32,)" in report.summary
    assert [r.name for r in report.rows if r.kind == "layer"] == ["hidden", "out"]
    html = cell.outputs[-1]["text/html"]
    assert "ksm-passed" in html and "<details" in html and " open" not in html.split(">")[0]
    assert cell.outputs[-1]["text/plain"] == report.summary


def test_a_cell_without_a_model_leaves_the_last_report_alone(checked: Any, run: Any) -> None:
    checked("""
        m = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        m.compile(loss="mse")
        m.fit(np.zeros((4, 2)), np.zeros(4), verbose=0)
    """)
    import keras_shapes_magic as ksm

    before = ksm.last_report()
    cell = checked("total = sum(range(10))")
    assert cell.report is None and ksm.last_report() is before and not cell.outputs


def test_the_default_hook_says_nothing_on_a_passing_cell(checked: Any) -> None:
    cell = checked("""
        m = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
        m.compile(loss="mse")
        m.fit(np.zeros((4, 28, 28)), np.zeros((4, 1)), verbose=0)
    """, magic=False)
    assert cell.report is None and not cell.outputs


def test_images_without_a_channel_axis_at_predict(checked: Any) -> None:
    cell = checked("""
        cnn = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(4, 3, name="conv"),
                                keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        digits = np.random.rand(8, 28, 28).astype("float32")
        cnn.predict(digits, verbose=0)
    """)
    assert warned(cell.report) == {"x": "missing_axis"}
    (warning,) = cell.report.warnings
    assert "`digits = np.expand_dims(digits, -1)`" in warning.fixes[0]


def test_scalars_into_input_shape_1_are_not_a_hazard(checked: Any) -> None:
    cell = checked("""
        m = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
        m.compile(loss="mse")
        m.fit(np.arange(16.0), 2 * np.arange(16.0), epochs=1, verbose=0)
    """)
    assert cell.report.passed and cell.report.warnings == ()


def test_mse_broadcasting_targets_against_three_outputs(checked: Any) -> None:
    cell = checked("""
        reg = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(3, name="head")])
        reg.compile(loss="mse", optimizer="sgd")
        reg.fit(np.random.rand(16, 5), np.random.rand(16, 1), epochs=1, verbose=0)
    """)
    found = warned(cell.report)
    assert list(found.values()) == ["loss_broadcast"]
    assert "Dense(1)" in cell.report.warnings[0].fixes[0]


def test_batchnorm_over_the_rows_of_channels_last_images(checked: Any) -> None:
    cell = checked("""
        net = keras.Sequential([keras.Input(shape=(16, 16, 3)), keras.layers.Conv2D(8, 3),
                                keras.layers.BatchNormalization(axis=1, name="bn"), keras.layers.Flatten(),
                                keras.layers.Dense(2, activation="softmax")])
        net.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        net.fit(np.random.rand(8, 16, 16, 3), np.random.randint(0, 2, 8), epochs=1, verbose=0)
    """)
    assert warned(cell.report) == {"bn": "norm_axis"}


def test_softmax_over_one_unit_is_caught_and_keras_warning_not_printed_raw(checked: Any) -> None:
    cell = checked("""
        clf = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(1, activation="softmax", name="head")])
        clf.compile(loss="binary_crossentropy", optimizer="adam")
        clf.fit(np.random.rand(8, 6), np.random.randint(0, 2, 8), epochs=1, verbose=0)
    """)
    assert warned(cell.report) == {"head": "softmax_one"}
    assert "You are using a softmax over axis" not in cell.stderr


def test_several_models_the_report_covers_the_last_and_warns_for_all(checked: Any) -> None:
    cell = checked("""
        first = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(3, name="wide")])
        first.compile(loss="mse")
        first.fit(np.random.rand(8, 5), np.random.rand(8, 1), verbose=0)
        second = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(1, name="narrow")], name="second")
        second.compile(loss="mse")
        second.evaluate(np.random.rand(8, 5), np.random.rand(8), verbose=0)
    """)
    report = cell.report
    assert report.summary.startswith("checked: second") and [w.check for w in report.warnings] == ["loss_broadcast"]
    assert "narrow" in [r.name for r in report.rows]


def test_strict_mode_checks_every_cell_and_off_stops(run: Any, checked: Any) -> None:
    code = """
        m = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(3)])
        m.compile(loss="mse")
        m.fit(np.random.rand(8, 5), np.random.rand(8, 1), verbose=0)
    """
    run("%kerascheck strict on")
    try:
        cell = checked(code, magic=False)
        assert cell.report is not None and cell.report.warnings
        assert "strict checks of passing cells are on" in run("%kerascheck status").stdout
    finally:
        run("%kerascheck strict off")
    assert checked(code, magic=False).report is None


def test_a_failing_checked_cell_keeps_its_error_report(run: Any, checked: Any) -> None:
    cell = run("%%kerascheck\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\n"
               "m.compile(loss='mse')\nm.fit(np.zeros((4, 5)), np.zeros(4), verbose=0)")
    assert cell.error is not None and cell.report is not None and cell.report.passed is False


def test_no_reference_to_the_model_or_data_survives_the_cell(checked: Any) -> None:
    import gc
    import weakref

    from keras_shapes_magic import watch

    checked("""
        m = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
        m.compile(loss="mse")
        data = np.random.rand(8, 3)
        history = m.fit(data, np.random.rand(8), verbose=0)
    """)
    assert not watch.recording()
    from IPython import get_ipython

    ns = get_ipython().user_ns
    model_ref = weakref.ref(ns["m"])
    del ns["m"], ns["data"], ns["history"]
    get_ipython().run_cell("keras.backend.clear_session()")
    gc.collect()
    assert model_ref() is None, [type(r).__name__ for r in gc.get_referrers(model_ref())][:10]


TF_KERAS_SCRIPT = r"""
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from IPython.testing.globalipapp import start_ipython
ip = start_ipython()
ip.run_line_magic("load_ext", "keras_shapes_magic")
import keras_shapes_magic as ksm
ip.run_cell('''%%kerascheck
import numpy as np
import tf_keras as keras
inp = keras.Input(shape=(4,))
a = keras.layers.Dense(1, name="price")(inp)
b = keras.layers.Dense(1, name="volume")(inp)
model = keras.Model(inp, [a, b])
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.rand(8, 4), np.random.rand(8, 1), epochs=1, verbose=0)
''')
r = ksm.last_report()
found = [[w.row, w.check] for w in (r.warnings if r else ())]
print(json.dumps({"passed": r.passed if r else None, "warnings": found}))
"""


def test_tf_keras_one_target_for_two_outputs() -> None:
    pytest.importorskip("tf_keras")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", TF_KERAS_SCRIPT], capture_output=True, text=True, timeout=300,
                          env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"passed": True, "warnings": [["y", "shared_target"]]}, done.stdout[-3000:]
