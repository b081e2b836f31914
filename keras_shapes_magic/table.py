"""ShapeReport -> pandas DataFrame (the only module that imports pandas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas

    from .records import ShapeReport

FRAME_COLUMNS = ("name", "kind", "type", "input_shape", "output_shape", "params", "status", "note")


def report_frame(report: ShapeReport) -> pandas.DataFrame:
    """One row per step; shapes as Keras-style strings, params as nullable integers."""
    import pandas as pd

    records = [
        {
            "name": row.name,
            "kind": row.kind,
            "type": row.type,
            "input_shape": row.input_shape,
            "output_shape": row.output_shape,
            "params": row.params,
            "status": row.status,
            "note": row.note,
        }
        for row in report.rows
    ]
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
    frame["params"] = frame["params"].astype("Int64")
    return frame
