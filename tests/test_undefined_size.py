"""The undefined-size family on real Keras, both flavours: a None length reaches a Dense through Flatten."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import run_cell
from test_hardening import FLAVOURS, flavour_cell, hooked  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_text_without_a_fixed_length_into_flatten_and_dense(hooked: Any, flavour: str) -> None:  # noqa: F811
    cell = run_cell(hooked, flavour_cell(flavour, """
        import numpy as np
        reviews = np.array(["a fine film", "dull", "not bad at all"])
        vectorize = keras.layers.TextVectorization(max_tokens=100, name="vectorize")
        vectorize.adapt(reviews)
        text_in = keras.Input(shape=(1,), dtype="string", name="text_in")
        embedded = keras.layers.Embedding(100, 8, name="embed")(vectorize(text_in))
        flat = keras.layers.Flatten(name="flat")(embedded)
        score = keras.layers.Dense(1, activation="sigmoid", name="score")(flat)
        """))
    report = cell.report
    assert report is not None, cell.shown
    assert report.offending == "score" and report.suspect == "vectorize"
    assert report.family == "undefined_size" and report.explained
    assert "output_sequence_length=" in report.fixes[0]
    assert isinstance(cell.error, ValueError) and "ValueError" in cell.shown
