#!/usr/bin/env python3
"""Score keras_shapes_magic on the corpus of real users' shape errors (tests/real_users/cases).

Each case file ``cases/rNN_slug.py`` defines ``CASE`` (see README.md): the notebook cells of a public
post (Stack Overflow, GitHub issue), rewritten with random arrays of the real shapes; the last cell
raises the poster's shape error. The cases run in ONE IPython subprocess per Keras flavour (or a
few chunks with ``--jobs``), not one per case. In the child: ``start_ipython()``,
``%load_ext keras_shapes_magic``, then per case: reset the namespace, ``clear_session()``, run the
setup cells, run the failing cell under ``capture_output()`` (as it is in "hook" mode, under
``%%kerascheck`` in "magic" mode) and read ``keras_shapes_magic.last_report()``.

For tf_keras, ``import keras`` becomes ``import tf_keras as keras`` and ``from keras`` becomes
``from tf_keras`` (the rule of /work/shared/corpus/run.py).

Scoring of one (case, flavour, mode), the rules of the shared corpus runner:
  * LOST: the cell's exception was swallowed or its type name is not shown (or the custom
    traceback handler failed);
  * PLACED: a report exists, exactly one row has status "offending", and report.offending is an
    acceptable name, or the offending row's kind is data/target/loss and the case accepts that
    kind, or the offending row is the loss and report.suspect is an acceptable name (or a
    data/target row of an accepted kind);
  * EXPLAINED: placed, the cause matches one of ``cause_any`` and at least one fix matches one of
    ``fix_any`` (``re.search``, case-insensitive);
  * GENERIC: a report whose fixes are empty or only generic ("Compare ...", "Keras rejected the
    shapes here").

``--check-fixes`` also runs, for each case that has one, ``fixed_last_cell`` after the setup cells
(in a fresh namespace) and reports whether it runs without error: it validates the corpus itself.

Usage:  score.py [--modes hook[,magic]] [--flavours keras3,tf_keras] [--only SUBSTR] [--jobs N]
                 [--check-fixes] [--all-flavours] [--verbose] [--json FILE]
Last line: "real users: placed P/T, explained E/T, lost L, generic G"
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import re
import runpy
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
FLAVOURS = ("keras3", "tf_keras")
MARK = "@@CASE@@"

GENERIC_FIX = re.compile(r"^\s*(compare|check)\b|keras rejected the shapes", re.I)

CHILD = r'''
import json, os, signal, sys, time, traceback
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
spec = json.loads(sys.stdin.read())
MARK = spec["mark"]
def emit(obj):
    sys.__stdout__.write("\n" + MARK + json.dumps(obj, default=str) + "\n")
    sys.__stdout__.flush()

class CaseTimeout(BaseException):
    pass

def on_alarm(signum, frame):
    raise CaseTimeout("case took longer than %s s" % spec["case_timeout"])

try:
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output
    ip = start_ipython()
    with capture_output():
        ip.run_line_magic("load_ext", "keras_shapes_magic")
    import keras_shapes_magic as ksm
except BaseException as e:
    emit({"fatal": "cannot load keras_shapes_magic: " + "".join(traceback.format_exception_only(type(e), e)).strip()})
    sys.exit(0)

signal.signal(signal.SIGALRM, on_alarm)
KMOD = "tf_keras" if spec["flavour"] == "tf_keras" else "keras"

def fresh():
    ip.reset(new_session=False)
    try:
        kmod = __import__(KMOD)
        kmod.backend.clear_session()
    except Exception:
        pass

def run(cell):
    with capture_output() as cap:
        r = ip.run_cell(cell)
    return r, cap

def shown_text(cap):
    text = cap.stdout + cap.stderr
    for o in cap.outputs:
        text += "\n" + str(o.data.get("text/plain", "")) + "\n" + str(o.data.get("text/html", ""))
    return text

def setup(cells):
    for i, cell in enumerate(cells):
        r, cap = run(cell)
        err = r.error_in_exec or r.error_before_exec
        if err is not None:
            return f"setup cell {i} raised {type(err).__name__}: {str(err)[:300]}"
    return None

for case in spec["cases"]:
    out = {"id": case["id"], "mode": case["mode"], "kind": case["kind"]}
    t0 = time.time()
    signal.alarm(spec["case_timeout"])
    try:
        fresh()
        fatal = setup(case["cells"][:-1])
        if fatal:
            out["fatal"] = fatal
        elif case["kind"] == "fix":
            r, cap = run(case["fixed"])
            err = r.error_in_exec or r.error_before_exec
            out["fixed_ok"] = err is None
            if err is not None:
                out["fixed_error"] = f"{type(err).__name__}: {str(err)[:400]}"
            out["timeout"] = isinstance(err, CaseTimeout)
        else:
            last = case["cells"][-1]
            if case["mode"] == "magic":
                last = "%%kerascheck\n" + last
            before = ksm.last_report()
            r, cap = run(last)
            err = r.error_in_exec or r.error_before_exec
            out["timeout"] = isinstance(err, CaseTimeout)
            out["raised"] = type(err).__name__ if err is not None else None
            out["message"] = str(err)[:600] if err is not None else None
            shown = shown_text(cap)
            out["type_shown"] = bool(err is not None and type(err).__name__ in shown)
            out["custom_tb_failed"] = "Custom TB Handler failed" in shown
            try:
                rep = ksm.last_report()
                if rep is None or rep is before:
                    out["report"] = None
                else:
                    df = rep.to_frame()
                    off = df[df["status"] == "offending"]
                    sus = getattr(rep, "suspect", None)
                    out["report"] = {
                        "offending": rep.offending,
                        "n_offending": int(len(off)),
                        "offending_kind": str(off["kind"].iloc[0]) if len(off) else None,
                        "offending_row_name": str(off["name"].iloc[0]) if len(off) else None,
                        "rows": int(len(df)),
                        "row_names": [str(n) for n in df["name"]][:40],
                        "suspect": sus,
                        "suspect_kind": (str(df[df["name"] == sus]["kind"].iloc[0])
                                         if sus in set(df["name"]) else None),
                        "cause": str(rep.cause)[:1000],
                        "fixes": [str(f)[:600] for f in rep.fixes][:8],
                        "explained": bool(getattr(rep, "explained", True)),
                    }
            except BaseException as e:
                out["report_error"] = "".join(traceback.format_exception_only(type(e), e)).strip()[:400]
    except CaseTimeout as e:
        out["fatal"] = str(e)
    except BaseException as e:
        out["fatal"] = "runner error: " + "".join(traceback.format_exception_only(type(e), e)).strip()[:400]
    finally:
        signal.alarm(0)
    out["seconds"] = round(time.time() - t0, 2)
    emit(out)
emit({"done": True})
'''


# ---------------------------------------------------------------------------------------------
# cases

@dataclass
class Case:
    id: str
    path: Path
    title: str
    source: str
    flavours: list[str]
    cells: list[str]
    names: list[str]
    kinds: list[str]
    cause_any: list[str]
    fix_any: list[str]
    fixed_last_cell: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def load_cases(cases_dir: Path = CASES_DIR) -> list[Case]:
    """Every ``cases/r*.py`` file's CASE, sorted by file name."""
    cases = []
    for path in sorted(cases_dir.glob("r*.py")):
        c = runpy.run_path(str(path))["CASE"]
        exp = c["expect"]
        cases.append(Case(
            id=path.stem, path=path, title=c["title"], source=c["source"], flavours=list(c["flavours"]),
            cells=list(c["cells"]), names=list(exp.get("names", [])), kinds=list(exp.get("kinds", [])),
            cause_any=list(exp.get("cause_any", [])), fix_any=list(exp.get("fix_any", [])),
            fixed_last_cell=c.get("fixed_last_cell")))
    return cases


def for_flavour(code: str, flavour: str) -> str:
    """``import keras`` -> ``import tf_keras as keras`` for the tf_keras flavour (run.py's rule)."""
    if flavour != "tf_keras":
        return code
    code = re.sub(r"^(\s*)import keras$", r"\1import tf_keras as keras", code, flags=re.M)
    return re.sub(r"^(\s*)from keras(\.| )", r"\1from tf_keras\2", code, flags=re.M)


# ---------------------------------------------------------------------------------------------
# running

def _run_child(python: str, flavour: str, jobs: list[dict], case_timeout: int, timeout: int) -> list[dict]:
    """Run ``jobs`` in one IPython child; restart after a crash with the remaining jobs."""
    results: list[dict] = []
    todo = list(jobs)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    while todo:
        spec = json.dumps({"mark": MARK, "flavour": flavour, "cases": todo, "case_timeout": case_timeout})
        try:
            p = subprocess.run([python, "-c", CHILD], input=spec, capture_output=True, text=True,
                               timeout=timeout, cwd="/tmp", env=env)
            stdout, tail = p.stdout, (p.stderr or "")[-400:]
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            stdout, tail = out, f"child timed out after {timeout} s"
        got = []
        for line in stdout.splitlines():
            if line.startswith(MARK):
                got.append(json.loads(line[len(MARK):]))
        if got and "fatal" in got[0] and "id" not in got[0]:  # the extension could not load
            return results + [dict(j, fatal=got[0]["fatal"]) for j in todo]
        done = [g for g in got if "id" in g]
        results += done
        n = len(done)
        if any(g.get("done") for g in got) or n >= len(todo):
            break
        # the child died on todo[n]: record it and go on with the rest
        results.append({"id": todo[n]["id"], "mode": todo[n]["mode"], "kind": todo[n]["kind"],
                        "fatal": f"child process died: {tail}"})
        todo = todo[n + 1:]
    return results


def run_cases(cases: list[Case], flavours: list[str], modes: list[str], *, check_fixes: bool = False,
              only_fixes: bool = False, all_flavours: bool = False, jobs: int = 1,
              python: str = sys.executable, case_timeout: int = 120, timeout: int = 1800) -> list[dict]:
    """Run every (case, flavour, mode) and, with ``check_fixes``, every fixed_last_cell.

    Returns one record per run: the child's result plus "flavour" and "case" (the Case)."""
    per_flavour: dict[str, list[dict]] = {f: [] for f in flavours}
    by_id = {c.id: c for c in cases}
    for c in cases:
        for fl in flavours:
            if not all_flavours and fl not in c.flavours:
                continue
            cells = [for_flavour(x, fl) for x in c.cells]
            if not only_fixes:
                for m in modes:
                    per_flavour[fl].append({"id": c.id, "mode": m, "kind": "error", "cells": cells})
            if (check_fixes or only_fixes) and c.fixed_last_cell:
                per_flavour[fl].append({"id": c.id, "mode": "fix", "kind": "fix", "cells": cells,
                                        "fixed": for_flavour(c.fixed_last_cell, fl)})
    # chunks: one per flavour; with more jobs than flavours, split each flavour's list
    chunks: list[tuple[str, list[dict]]] = []
    n_per = max(1, jobs // max(1, len([f for f in flavours if per_flavour[f]])))
    for fl, js in per_flavour.items():
        if not js:
            continue
        k = max(1, min(n_per, len(js)))
        size = -(-len(js) // k)
        chunks += [(fl, js[i:i + size]) for i in range(0, len(js), size)]
    records: list[dict] = []
    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        futs = {ex.submit(_run_child, python, fl, js, case_timeout, timeout): fl for fl, js in chunks}
        for fut in cf.as_completed(futs):
            fl = futs[fut]
            for r in fut.result():
                r["flavour"] = fl
                r["case"] = by_id[r["id"]]
                records.append(r)
    order = {c.id: i for i, c in enumerate(cases)}
    records.sort(key=lambda r: (order[r["id"]], r["flavour"], r["mode"]))
    return records


# ---------------------------------------------------------------------------------------------
# judging (the rules of /work/shared/corpus/run.py)

def judge(case: Case, res: dict) -> tuple[bool, bool, str]:
    """(placed, lost, why)"""
    if "fatal" in res:
        return False, False, res["fatal"]
    if res.get("raised") is None:
        return False, False, "the cell raised nothing"
    if res.get("timeout"):
        return False, False, "the cell timed out"
    if not res.get("type_shown") or res.get("custom_tb_failed"):
        return False, True, (f"error lost or masked (raised={res.get('raised')}, type shown="
                             f"{res.get('type_shown')}, custom tb failed={res.get('custom_tb_failed')})")
    if "report_error" in res:
        return False, False, "reading the report failed: " + res["report_error"]
    rep = res.get("report")
    if not rep:
        return False, False, f"no report for {res.get('raised')}"
    if rep["n_offending"] != 1:
        return False, False, f"{rep['n_offending']} offending rows"
    if rep["offending"] != rep["offending_row_name"]:
        return False, False, (f"report.offending={rep['offending']!r} but the offending row is "
                              f"{rep['offending_row_name']!r}")
    name, kind, suspect = rep["offending"], rep["offending_kind"], rep.get("suspect")
    ok = (name in case.names or (kind in ("data", "target", "loss") and kind in case.kinds)
          or (kind == "loss" and (suspect in case.names
                                  or rep.get("suspect_kind") in set(case.kinds) & {"data", "target"})))
    return ok, False, f"offending={name!r} kind={kind} suspect={suspect!r} (want {case.names} or kinds {case.kinds})"


def explained(case: Case, res: dict) -> bool:
    """Placed is checked by the caller; is the cause and (one of) the fixes right?"""
    rep = res.get("report") or {}
    fixes, cause = rep.get("fixes") or [], rep.get("cause") or ""
    fix_ok = not case.fix_any or any(re.search(rx, f, re.I) for rx in case.fix_any for f in fixes)
    cause_ok = not case.cause_any or any(re.search(rx, cause, re.I) for rx in case.cause_any)
    return fix_ok and cause_ok


def generic(res: dict) -> bool:
    """A report that explains nothing specific: no fix, only "Compare ..." style fixes, or one the product itself
    says no rule explained (its fixes are then labelled a general suggestion)."""
    rep = res.get("report")
    if not rep:
        return False
    fixes = rep.get("fixes") or []
    return (not fixes or all(GENERIC_FIX.search(f) for f in fixes) or bool(GENERIC_FIX.search(rep.get("cause") or ""))
            or rep.get("explained") is False)


@dataclass
class Summary:
    total: int = 0
    placed: int = 0
    explained: int = 0
    lost: int = 0
    generic: int = 0
    silent: int = 0
    fixes_total: int = 0
    fixes_ok: int = 0
    rows: list[dict] = field(default_factory=list)

    def line(self) -> str:
        return (f"real users: placed {self.placed}/{self.total}, explained {self.explained}/{self.total}, "
                f"lost {self.lost}, generic {self.generic}")


def summarize(records: list[dict]) -> Summary:
    s = Summary()
    for r in records:
        case: Case = r["case"]
        if r["kind"] == "fix":
            s.fixes_total += 1
            ok = bool(r.get("fixed_ok")) and "fatal" not in r
            s.fixes_ok += ok
            s.rows.append({"id": case.id, "flavour": r["flavour"], "mode": "fix", "fixed_ok": ok,
                           "why": r.get("fatal") or r.get("fixed_error") or "ran", "seconds": r.get("seconds")})
            continue
        placed, lost, why = judge(case, r)
        expl = placed and explained(case, r)
        gen = generic(r)
        s.total += 1
        s.placed += placed
        s.explained += expl
        s.lost += lost
        s.generic += gen
        s.silent += r.get("raised") is None and "fatal" not in r
        rep = r.get("report") or {}
        s.rows.append({"id": case.id, "flavour": r["flavour"], "mode": r["mode"], "placed": placed,
                       "explained": expl, "lost": lost, "generic": gen, "raised": r.get("raised"),
                       "why": why, "cause": rep.get("cause"), "fixes": rep.get("fixes"),
                       "suspect": rep.get("suspect"), "message": r.get("message"),
                       "seconds": r.get("seconds")})
    return s


def score(flavours: list[str] | None = None, modes: list[str] | None = None, **kw: Any) -> tuple[Summary, list[dict]]:
    """Importable entry point: run the corpus and summarize it."""
    cases = load_cases()
    if kw.get("only"):
        cases = [c for c in cases if kw["only"] in c.id]
    kw.pop("only", None)
    records = run_cases(cases, flavours or list(FLAVOURS), modes or ["hook"], **kw)
    return summarize(records), records


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modes", default="hook", help="hook,magic")
    ap.add_argument("--flavours", default="keras3,tf_keras")
    ap.add_argument("--only", default=None, help="substring of case ids to run")
    ap.add_argument("--jobs", type=int, default=1, help="IPython processes at once (one per flavour chunk)")
    ap.add_argument("--check-fixes", action="store_true", help="also run each fixed_last_cell")
    ap.add_argument("--only-fixes", action="store_true", help="run only the fixed_last_cells")
    ap.add_argument("--all-flavours", action="store_true",
                    help="run every case in every flavour, whatever its 'flavours' says (to verify them)")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--case-timeout", type=int, default=120)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", default=None, help="write the per-run rows to this file")
    a = ap.parse_args()

    cases = load_cases()
    if a.only:
        cases = [c for c in cases if a.only in c.id]
    flavours = [f for f in a.flavours.split(",") if f]
    modes = [m for m in a.modes.split(",") if m]
    t0 = time.time()
    records = run_cases(cases, flavours, modes, check_fixes=a.check_fixes, only_fixes=a.only_fixes,
                        all_flavours=a.all_flavours, jobs=a.jobs, python=a.python, case_timeout=a.case_timeout)
    s = summarize(records)
    for row in s.rows:
        if row["mode"] == "fix":
            if a.verbose or not row["fixed_ok"]:
                tag = "FIX-OK " if row["fixed_ok"] else "FIX-BAD"
                print(f"{tag} {row['flavour']:8} {row['id']}: {row['why']} ({row['seconds']} s)")
            continue
        tag = "EXPLAINED" if row["explained"] else ("PLACED   " if row["placed"] else "MISS     ")
        if row["lost"]:
            tag = "LOST     "
        if a.verbose or not row["explained"]:
            gen = " [generic]" if row["generic"] else ""
            print(f"{tag} {row['flavour']:8} {row['mode']:5} {row['id']}: {row['why']}{gen} ({row['seconds']} s)")
            if a.verbose:
                print(f"      raised {row['raised']}: {(row['message'] or '')[:300]!r}")
                print(f"      cause: {row['cause']}")
                print(f"      fixes: {row['fixes']}")
    if a.json:
        Path(a.json).write_text(json.dumps(s.rows, indent=1, default=str))
    if s.fixes_total:
        print(f"fixed cells: {s.fixes_ok}/{s.fixes_total} run without error")
    if s.silent:
        print(f"did not raise: {s.silent}")
    print(f"({time.time() - t0:.0f} s)")
    print(s.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
