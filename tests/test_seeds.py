"""The seed articles' examples, run as real notebook cells in an InteractiveShell.

Each case runs twice per flavour: as a plain cell (the automatic exception hook) and
as a ``%%kerascheck`` cell (the magic). The report must highlight exactly one row,
explain the cause, suggest fixes, and leave the user's own error visible.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MODES = ("hook", "magic")
FLAVOURS = ("keras", "tf_keras")
IMPORTS = {"keras": "import keras", "tf_keras": "import tf_keras as keras"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Seed 004, Example 1: one 28x28 image without batch or channel axis, 10 labels without batch axis.
CONV_SINGLE_IMAGE = """\
import numpy as np
{import_keras}

x = np.random.rand(28, 28)  # one image, no batch axis, no channel axis
y = np.random.rand(10)
model = keras.Sequential([
    keras.layers.Conv2D(8, (3, 3), activation="relu", input_shape=(28, 28, 1), name="conv1"),
    keras.layers.Flatten(),
    keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
"""

# Seed 000, Example 3: concatenating (16, 16, 32) with (28, 28, 64).
CONCAT_MISMATCH = """\
{import_keras}

input_layer = keras.layers.Input(shape=(32, 32, 3))
conv1 = keras.layers.Conv2D(32, (3, 3), padding="same", activation="relu", name="conv1")(input_layer)
pool1 = keras.layers.MaxPooling2D((2, 2), name="pool1")(conv1)  # (16, 16, 32)
conv2 = keras.layers.Conv2D(64, (5, 5), padding="valid", activation="relu", name="conv2")(input_layer)  # (28, 28, 64)
merged = keras.layers.concatenate([pool1, conv2], name="merge")
"""

# Seed 000, Example 5: integer labels with categorical_crossentropy.
INTEGER_LABELS = """\
import numpy as np
{import_keras}

model = keras.Sequential([
    keras.layers.Input(shape=(10,)),
    keras.layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
y_true_wrong_shape = np.random.randint(0, 5, size=(100, 1))
x_train = np.random.rand(100, 10)
model.fit(x_train, y_true_wrong_shape, epochs=1, batch_size=16, verbose=0)
"""

# Seed 004, Example 3: a flat Input fed with 2-D samples.
FLAT_INPUT_IMAGES = """\
import numpy as np
{import_keras}

input_layer = keras.layers.Input(shape=(28,))
dense_layer = keras.layers.Dense(16, activation="relu")(input_layer)
output_layer = keras.layers.Dense(10, activation="softmax")(dense_layer)
model = keras.models.Model(inputs=input_layer, outputs=output_layer)
data = np.random.rand(100, 28, 28)
labels = np.random.randint(0, 10, 100)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(data, labels, epochs=1, batch_size=16, verbose=0)
"""

# Seed 000, Example 1: Keras adds the missing channel axis itself, so nothing fails.
PREDICT_MISSING_CHANNEL = """\
import numpy as np
{import_keras}

model = keras.Sequential([
    keras.layers.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(8, (3, 3), activation="relu"),
    keras.layers.Flatten(),
    keras.layers.Dense(10, activation="softmax"),
])
incorrect_input_data = np.random.rand(100, 28, 28)
predictions = model.predict(incorrect_input_data, batch_size=16, verbose=0)
"""


# --------------------------------------------------------------------------- helpers
def cell_code(template: str, flavour: str, mode: str) -> str:
    """The notebook cell for ``flavour`` and ``mode`` (``magic`` prefixes ``%%kerascheck``)."""
    if flavour == "tf_keras":
        pytest.importorskip("tf_keras")
    code = template.format(import_keras=IMPORTS[flavour])
    return "%%kerascheck\n" + code if mode == "magic" else code


@pytest.fixture(autouse=True)
def _hook_on(ksm_shell: Any) -> Any:
    """Every seed test starts with the automatic hook switched on."""
    ksm_shell.run_line_magic("kerascheck", "on")
    yield


def assert_reported(cell: Any) -> Any:
    """The checks every raising seed case must pass; returns the report."""
    assert cell.error is not None, "the cell should fail"
    assert cell.result.error_in_exec is cell.error, "the error must not be swallowed"
    assert type(cell.error).__name__ in cell.shown, "the user's own exception type must stay visible"
    assert "Custom TB Handler failed" not in cell.shown
    report = cell.report
    assert report is not None, f"no shape report for {type(cell.error).__name__}: {cell.error}"

    frame = report.to_frame()
    assert list(frame.columns[:7]) == ["name", "kind", "type", "input_shape", "output_shape", "params", "status"]
    assert set(frame["status"]) <= {"ok", "offending", "suspect", "not reached"}
    assert set(frame["kind"]) <= {"data", "input", "layer", "target", "loss"}
    offending = frame.index[frame["status"] == "offending"].tolist()
    assert len(offending) == 1, frame.to_string()
    position = frame.index.get_loc(offending[0])
    assert frame.iloc[position]["name"] == report.offending
    after = frame.iloc[position + 1:]
    layers_after = after[after["kind"] == "layer"]
    assert set(layers_after["status"]) <= {"not reached", "suspect"}, frame.to_string()

    assert isinstance(report.cause, str)
    assert report.cause.strip() and " " in report.cause.strip(), report.cause
    assert report.cause.rstrip().endswith((".", ")")), report.cause
    assert report.fixes, "a report must suggest at least one fix"
    assert all(isinstance(fix, str) and fix.strip() for fix in report.fixes)

    plains = [str(o["text/plain"]) for o in cell.outputs if "text/plain" in o]
    marker = re.compile(rf"^>>\s+{re.escape(report.offending)}(\s|$)", re.M)
    assert any(marker.search(text) for text in plains), "\n---\n".join(plains)
    htmls = [str(o["text/html"]) for o in cell.outputs if "text/html" in o]
    assert any('data-status="offending"' in text for text in htmls)
    assert sum("ksm-report" in text for text in htmls) == 1, "exactly one report per failure"
    return report


def row(frame: Any, name: str) -> Any:
    """The one row of ``frame`` called ``name``."""
    rows = frame[frame["name"] == name]
    assert len(rows) == 1, f"no single row {name!r} in\n{frame.to_string()}"
    return rows.iloc[0]


def cell_namespace(run: Any) -> dict[str, Any]:
    """The shell's user namespace (the ``run`` fixture runs cells in the session shell)."""
    from IPython import get_ipython

    return get_ipython().user_ns


# --------------------------------------------------------------------------- the seed cases
@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_conv_fit_on_single_image(run: Any, flavour: str, mode: str) -> None:
    cell = run(cell_code(CONV_SINGLE_IMAGE, flavour, mode))
    report = assert_reported(cell)
    assert type(cell.error).__name__ == "ValueError"
    assert "Data cardinality is ambiguous" in cell.shown
    frame = report.to_frame()
    offending = row(frame, report.offending)
    assert (offending["kind"], offending["name"]) == ("data", "x") or report.offending == "conv1", frame.to_string()
    # The model's layers are in the table with their shapes, even though no layer ran.
    assert row(frame, "conv1")["output_shape"] == "(None, 26, 26, 8)"
    assert "(28, 28)" in report.cause or "28" in report.cause


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_concatenate_spatial_mismatch(run: Any, flavour: str, mode: str) -> None:
    cell_namespace(run).pop("merged", None)
    cell = run(cell_code(CONCAT_MISMATCH, flavour, mode))
    report = assert_reported(cell)
    assert type(cell.error).__name__ == "ValueError"
    assert report.offending == "merge"
    frame = report.to_frame()
    inputs = frame[frame["kind"] == "input"]
    assert len(inputs) == 1 and inputs.iloc[0]["output_shape"] == "(None, 32, 32, 3)", frame.to_string()
    assert row(frame, "conv1")["output_shape"] == "(None, 32, 32, 32)"
    assert row(frame, "pool1")["output_shape"] == "(None, 16, 16, 32)"
    assert row(frame, "conv2")["output_shape"] == "(None, 28, 28, 64)"
    assert row(frame, "merge")["type"] == "Concatenate"
    assert "(None, 16, 16, 32)" in report.cause and "(None, 28, 28, 64)" in report.cause
    # Graph construction failed: the user's variables before the failing line exist, `merged` does not.
    assert "merged" not in cell_namespace(run)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_integer_labels_with_categorical_crossentropy(run: Any, flavour: str, mode: str) -> None:
    cell = run(cell_code(INTEGER_LABELS, flavour, mode))
    report = assert_reported(cell)
    assert type(cell.error).__name__ == "ValueError"
    frame = report.to_frame()
    assert row(frame, report.offending)["kind"] in ("loss", "target"), frame.to_string()
    fixes = " ".join(report.fixes)
    assert "to_categorical" in fixes
    assert "sparse_categorical_crossentropy" in fixes
    assert "(100, 1)" in report.cause or "(None, 1)" in report.cause


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_flat_input_fed_with_images(run: Any, flavour: str, mode: str) -> None:
    cell = run(cell_code(FLAT_INPUT_IMAGES, flavour, mode))
    report = assert_reported(cell)
    frame = report.to_frame()
    offending = row(frame, report.offending)
    if flavour == "tf_keras":
        # tf_keras lets Dense run over the extra axis and fails later, in the loss (a runtime
        # InvalidArgumentError): the loss raised, the data is the culprit.
        assert offending["kind"] == "loss", frame.to_string()
        assert report.suspect == "x", frame.to_string()
    else:
        assert offending["kind"] in ("data", "input"), frame.to_string()
    if offending["kind"] == "data":
        assert offending["output_shape"] == "(100, 28, 28)"
    assert any(shape in report.cause for shape in ("(100, 28, 28)", "(None, 28)", "(28,)")), report.cause


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_predict_without_channel_axis_does_not_fail(run: Any, flavour: str, mode: str) -> None:
    cell_namespace(run).pop("predictions", None)
    cell = run(cell_code(PREDICT_MISSING_CHANNEL, flavour, mode))
    assert cell.error is None, cell.shown
    assert cell.result.success
    if mode == "magic":  # a checked cell that passed: its "checked" line, and a warning on the data row
        assert cell.report is not None and cell.report.passed and cell.report.offending is None
        assert [(w.row, w.check) for w in cell.report.warnings] == [("x", "missing_axis")]
    else:  # the automatic hook never invents an error
        assert cell.report is None
        assert not any("ksm-report" in str(o.get("text/html", "")) for o in cell.outputs)
    assert "Custom TB Handler failed" not in cell.shown
    assert cell_namespace(run)["predictions"].shape == (100, 10)


def test_seed_report_is_the_public_last_report(run: Any) -> None:
    """The report a cell shows is what ``last_report()`` returns, and ``diagnose`` agrees with it."""
    import keras_shapes_magic as ksm

    cell = run(cell_code(CONCAT_MISMATCH, "keras", "hook"))
    report = assert_reported(cell)
    assert ksm.last_report() is report
    again = ksm.diagnose(cell.error, cell_namespace(run))
    assert again is not None and again.offending == report.offending == "merge"
    assert report.to_text() in [o.get("text/plain") for o in cell.outputs]
    assert WIDGET_MIME not in cell.outputs[0]  # no kernel here: no widget view


def test_flat_input_cause_speaks_the_users_language(run: Any) -> None:
    cell = run(cell_code(FLAT_INPUT_IMAGES, "keras", "hook"))
    report = assert_reported(cell)
    frame = report.to_frame()
    input_name = frame[frame["kind"] == "input"].iloc[0]["name"]
    assert "keras_tensor_" not in report.cause, report.cause
    assert input_name in report.cause, report.cause
    assert not report.fixes[0].startswith("Or "), report.fixes
