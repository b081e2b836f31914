"""Real users' shape errors (tests/real_users): a ratchet on how well the product places and explains them.

Every case is a public post (Stack Overflow mirror, GitHub issue) rewritten with random arrays of the
real shapes. The scorer runs all of them in ONE IPython subprocess per Keras flavour (hook mode) and
also runs each case's ``fixed_last_cell`` (the poster's cell corrected per the accepted answer) in
the same processes. The module fixture runs it once; the tests read its records.

* ``test_corpus_is_well_formed``: the case files themselves (cheap, no Keras).
* ``test_real_users_ratchet``: no error lost, every case still raises where it says it does, and
  "placed" / "explained" are at least the floor in ``real_users/floor.json`` (raise the floor when
  the product improves; never lower it to make a change pass).
* ``test_fixed_cells_run``: every ``fixed_last_cell`` runs without error, so each case's expectation
  describes a real, fixable mistake.

Run the scorer by hand for details: ``python tests/real_users/score.py --verbose``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REAL = HERE / "real_users"


def _load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("real_users_score", REAL / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["real_users_score"] = mod
    spec.loader.exec_module(mod)
    return mod


score = _load_scorer()
FLOOR = json.loads((REAL / "floor.json").read_text())


@pytest.fixture(scope="module")
def corpus_run() -> tuple[Any, list[dict]]:
    """One scorer run: hook mode, both flavours, fixed cells included (one child process per flavour)."""
    cases = score.load_cases()
    records = score.run_cases(cases, ["keras3", "tf_keras"], ["hook"], check_fixes=True, jobs=2)
    return score.summarize(records), records


def test_corpus_is_well_formed() -> None:
    cases = score.load_cases()
    assert len(cases) >= 60, f"only {len(cases)} cases"
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids)
    for c in cases:
        assert re.fullmatch(r"r\d\d_[a-z0-9_]+", c.id), c.id
        assert c.title and c.source.startswith("http"), c.id
        assert c.flavours and set(c.flavours) <= set(score.FLAVOURS), c.id
        assert len(c.cells) >= 1 and all(isinstance(x, str) and x.strip() for x in c.cells), c.id
        assert c.names or c.kinds, c.id
        assert set(c.kinds) <= {"data", "target", "loss"}, c.id
        assert c.cause_any and c.fix_any, c.id
        for rx in c.cause_any + c.fix_any:
            re.compile(rx, re.I)
        assert "import keras" in "\n".join(c.cells) or "from keras" in "\n".join(c.cells), c.id
        code = [ln.split("#")[0] for cell in c.cells for ln in cell.splitlines()]
        assert not any(re.search(r"\btf\.keras\b", ln) for ln in code), f"{c.id}: use `import keras`"
    assert sum(c.fixed_last_cell is not None for c in cases) >= 25


@pytest.mark.integration
def test_real_users_ratchet(corpus_run: tuple[Any, list[dict]]) -> None:
    summary, records = corpus_run
    broken = [f"{r['id']}[{r['flavour']}]: {r.get('fatal') or 'raised nothing'}"
              for r in records if r["kind"] == "error" and ("fatal" in r or r.get("raised") is None)]
    assert not broken, "cases that no longer raise where they say they do:\n" + "\n".join(broken)
    lost = [f"{row['id']}[{row['flavour']}]: {row['why']}" for row in summary.rows if row.get("lost")]
    assert not lost, "errors lost or masked:\n" + "\n".join(lost)
    print("\n" + summary.line())
    assert summary.placed >= FLOOR["placed"], f"{summary.line()} (floor: placed {FLOOR['placed']})"
    assert summary.explained >= FLOOR["explained"], f"{summary.line()} (floor: explained {FLOOR['explained']})"
    generic = [f"{row['id']}[{row['flavour']}]" for row in summary.rows if row.get("generic")]
    assert not generic, "reports with no fix or only a generic one (a failure to count, not an answer): " \
        + ", ".join(generic)


@pytest.mark.integration
def test_fixed_cells_run(corpus_run: tuple[Any, list[dict]]) -> None:
    summary, _ = corpus_run
    fixes = [row for row in summary.rows if row["mode"] == "fix"]
    assert len(fixes) >= 25
    bad = [f"{row['id']}[{row['flavour']}]: {row['why']}" for row in fixes if not row["fixed_ok"]]
    assert not bad, "fixed_last_cell raised:\n" + "\n".join(bad)
