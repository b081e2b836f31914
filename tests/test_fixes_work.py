"""The product's fixes WORK: a real user's case, corrected with its report's first fix, runs without error.

For every recipe in ``fixes_work/recipes.py`` (one per case of ``real_users/cases`` whose first fix
works, Keras 3 flavour):

1. the case's cells run through the product exactly as ``real_users/score.py`` runs them (its
   ``run_cases``: one IPython child with ``%load_ext keras_shapes_magic``, a fresh namespace and
   ``clear_session()`` per case) and the report's fixes are read (``last_report().fixes``);
2. the report's FIRST fix is taken from the report, with its code spans (``Fix`` of
   ``keras_shapes_magic.records``); the recipe only says where that code goes;
3. the corrected cells run again in a fresh child (score.py's ``fixed_last_cell`` path, all cases
   in one process), and the test asserts that no cell raises anything at all.

Two Keras processes in all, one after the other (about 2 to 3 minutes on 2 busy cores).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from fixes_work.edits import RecipeError, apply_steps, code_spans
from fixes_work.recipes import NOT_WORKING, RECIPES, Recipe

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
FLAVOUR = "keras3"
#: score.py keeps the first 600 characters of a fix: a fix that long may have lost its code
TRUNCATED_AT = 600


def _load_scorer() -> Any:
    """``real_users/score.py`` as a module (shared with test_real_users.py when both run)."""
    if "real_users_score" in sys.modules:
        return sys.modules["real_users_score"]
    spec = importlib.util.spec_from_file_location("real_users_score", HERE / "real_users" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["real_users_score"] = mod
    spec.loader.exec_module(mod)
    return mod


score = _load_scorer()


@dataclasses.dataclass
class Outcome:
    """One case: its first fix, the corrected cells, and why the fix did not work (None: it worked)."""

    case: str
    fix: str | None = None
    cells: list[str] | None = None
    failure: str | None = None


def _prepare(recipe: Recipe, case: Any, record: dict[str, Any]) -> Outcome:
    """Check the case's report and put its first fix where the recipe says."""
    out = Outcome(case.id)
    if "fatal" in record or not record.get("raised"):
        out.failure = f"the case did not raise where it should: {record.get('fatal') or 'no exception'}"
        return out
    fixes = (record.get("report") or {}).get("fixes") or []
    if not fixes:
        out.failure = f"no fixes in the report for {record['raised']}: {record.get('message', '')[:200]!r}"
        return out
    out.fix = fixes[0]
    if len(out.fix) >= TRUNCATED_AT:
        out.failure = f"the first fix was cut at {TRUNCATED_AT} characters by score.py: {out.fix!r}"
    elif not re.search(recipe.fix_like, out.fix, re.I):
        out.failure = (f"the first fix is no longer the kind the recipe places (/{recipe.fix_like}/): {out.fix!r}; "
                       "rewrite the recipe for the new fix")
    else:
        try:
            out.cells = apply_steps(recipe.steps, case.cells, out.fix)
        except RecipeError as e:
            out.failure = f"the recipe does not apply to the fix {out.fix!r}: {e}"
    return out


def run_recipes(recipes: tuple[Recipe, ...] = RECIPES) -> dict[str, Outcome]:
    """Report every recipe's case, apply its first fix, run the corrected cells: one outcome per case."""
    by_prefix = {c.id.split("_")[0]: c for c in score.load_cases()}
    cases = [by_prefix[r.case] for r in recipes]
    reports = {r["id"]: r for r in score.run_cases(cases, [FLAVOUR], ["hook"], jobs=1)}
    outcomes: dict[str, Outcome] = {}
    fixed = []
    for recipe, case in zip(recipes, cases):
        out = _prepare(recipe, case, reports.get(case.id, {"fatal": "the scorer returned no record"}))
        outcomes[recipe.case] = out
        if out.cells is not None:
            fixed.append(dataclasses.replace(case, cells=out.cells, fixed_last_cell=out.cells[-1]))
    ran = score.run_cases(fixed, [FLAVOUR], ["hook"], only_fixes=True, jobs=1)
    for case in fixed:
        if case.id not in {rec["id"] for rec in ran}:
            outcomes[case.id.split("_")[0]].failure = "the corrected cells were not run (no record from the scorer)"
    for rec in ran:
        out = outcomes[rec["id"].split("_")[0]]
        if "fatal" in rec:
            out.failure = f"the corrected cells raised: {rec['fatal']}"
        elif not rec.get("fixed_ok"):
            out.failure = f"the corrected last cell raised {rec.get('fixed_error')}"
    return outcomes


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    """All recipes' outcomes, computed once (two Keras child processes, one after the other)."""
    return run_recipes()


def test_recipes_cover_the_corpus() -> None:
    cases = {c.id.split("_")[0]: c for c in score.load_cases()}
    ids = [r.case for r in RECIPES]
    assert len(ids) == len(set(ids)) >= 55, f"{len(set(ids))} distinct cases"
    assert not set(ids) & set(NOT_WORKING), "a case is both working and not working"
    for case_id in [*ids, *NOT_WORKING]:
        assert case_id in cases and FLAVOUR in cases[case_id].flavours, case_id


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.case for r in RECIPES])
def test_first_fix_works(recipe: Recipe, outcomes: dict[str, Outcome]) -> None:
    out = outcomes[recipe.case]
    assert out.failure is None, f"{out.case}: {out.failure}\ncorrected cells:\n" + "\n# ---\n".join(out.cells or [])
    assert out.fix is not None and code_spans(out.fix)
