"""Run the corpus of CORRECT Keras programs in a real IPython shell, one subprocess per flavour.

Every ``pNN_*.py`` file beside this one holds a ``PROGRAM`` dict: a realistic, correct notebook
(cells) that follows an official Keras example, shrunk to random data of the real shapes. Checks
for silent shape hazards must stay silent on all of them: a report on any of these is a false alarm.

Importable::

    from tests.correct_programs.run import run          # from the repository root
    runs = run(["keras3", "tf_keras"], magic=True)      # {flavour: FlavourRun(results=[ProgramResult, ...])}

CLI::

    python tests/correct_programs/run.py [--flavour keras3|tf_keras ...] [--magic] [--only p01,p07]
                                         [--untested] [--parallel] [--warnings] [--json FILE]

Each flavour runs in ONE fresh ``python`` subprocess (not one per program): ``start_ipython()``,
``%load_ext keras_shapes_magic``, then per program: the namespace reset, the last report forgotten,
``keras.backend.clear_session()``, ``keras.utils.set_random_seed(0)``, each cell through ``ip.run_cell``
under ``capture_output()`` (prefixed with ``%%kerascheck`` when ``magic``). For ``tf_keras`` the
cells' ``import keras`` / ``from keras`` lines are rewritten to ``tf_keras``. A program runs in the
flavours its ``"flavours"`` list names (``--untested``: in every flavour, to find out where it runs).

Prints ``correct programs: R/T ran clean``; exits 1 when any program raised or produced a shape
report (``keras_shapes_magic.last_report()`` changed while it ran).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FLAVOURS = ("keras3", "tf_keras")
SHAPE_WORDS = re.compile(r"shape|rank|dimension|axis|axes|broadcast|squeez|expand", re.IGNORECASE)


# ----------------------------------------------------------------------------- the programs


def program_files() -> list[Path]:
    """The program files, in name order (``p01_...py``, ``p02_...py``, ...)."""
    return sorted(HERE.glob("p[0-9][0-9]_*.py"))


def load_program(path: Path) -> dict[str, Any]:
    """The ``PROGRAM`` dict of one file (executed in an empty namespace; it only defines data)."""
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    program = dict(namespace["PROGRAM"])
    program["name"] = path.stem
    return program


def load_programs(only: list[str] | None = None) -> list[dict[str, Any]]:
    """All programs, or those whose name starts with one of ``only`` (``p01``, ``p07_transformer``)."""
    programs = [load_program(p) for p in program_files()]
    if only:
        programs = [p for p in programs if any(p["name"].startswith(o) for o in only)]
    return programs


_IMPORT_KERAS = re.compile(r"^(\s*)import keras(\s*(?:#.*)?)$", re.MULTILINE)
_FROM_KERAS = re.compile(r"^(\s*)from keras(?=[\s.])", re.MULTILINE)


def for_flavour(code: str, flavour: str) -> str:
    """``code`` as it runs in ``flavour``: for ``tf_keras`` the keras imports point at ``tf_keras``."""
    if flavour == "keras3":
        return code
    if flavour != "tf_keras":
        raise ValueError(f"unknown flavour {flavour!r}")
    code = _IMPORT_KERAS.sub(r"\1import tf_keras as keras\2", code)
    return _FROM_KERAS.sub(r"\1from tf_keras", code)


# ----------------------------------------------------------------------------- the results


@dataclass
class ProgramResult:
    """What running one program in one flavour did."""

    name: str
    title: str
    source: str
    flavour: str
    ran: bool  # False: the program does not list this flavour (and --untested was not given)
    error: str | None = None  # "TypeName: message" of the first cell that raised
    error_cell: int | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time (robust to other load on the machine)
    setup_seconds: float = 0.0  # namespace reset + clear_session before the program
    cell_seconds: list[float] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    # text/plain of every display() output (the cells' Out[n] results go to stdout in this terminal shell)
    outputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "Category: message (file:line)"
    log_records: list[str] = field(default_factory=list)  # WARNING+ records of python logging
    report_outputs: int = 0  # displayed outputs that are error or warning reports (not a clean "checked" line)
    checked_outputs: int = 0  # displayed "checked: ... no shape problems" lines (passing %%kerascheck cells)
    last_report_after: bool = False  # an error report, or a passing one with warnings, after the program
    new_report: bool = False  # an error or warning report appeared while the program ran
    report_text: str | None = None

    @property
    def raised(self) -> bool:
        return self.error is not None

    @property
    def clean(self) -> bool:
        return (self.ran and not self.raised and not self.new_report and not self.last_report_after
                and not self.report_outputs)

    @property
    def shown(self) -> str:
        """Everything the program showed: stdout, stderr and the outputs' text."""
        return "\n".join([self.stdout, self.stderr, *self.outputs])

    def shape_warnings(self) -> list[str]:
        """Warnings and log records (and stderr lines) that talk about shapes."""
        lines = self.warnings + self.log_records
        lines += [ln for ln in self.stderr.splitlines() if "warn" in ln.lower()]
        return [ln for ln in lines if SHAPE_WORDS.search(ln)]


# ----------------------------------------------------------------------------- the worker (inside the subprocess)


def _worker(flavour: str, magic: bool, names: list[str] | None, untested: bool, out: str) -> None:
    """Run the programs in this process's IPython shell and write the results as JSON to ``out``."""
    import gc
    import logging
    import warnings

    worker_start = time.perf_counter()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output

    ip = start_ipython()
    ip.run_line_magic("load_ext", "keras_shapes_magic")
    import keras_shapes_magic as ksm

    try:  # so that a report from one program does not linger into the next one's result
        from keras_shapes_magic.display import forget
    except ImportError:  # pragma: no cover - the internal name moved; programs are then not isolated
        def forget() -> None:
            pass

    records: list[logging.LogRecord] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if not any(r is record for r in records):  # a record reaches every logger it propagates to
                records.append(record)

    keep = _Keep(level=logging.WARNING)
    for logger_name in ("", "tensorflow", "absl", "keras", "tf_keras"):
        logging.getLogger(logger_name).addHandler(keep)

    caught: list[str] = []
    original_showwarning = warnings.showwarning

    def _showwarning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                     line: Any = None) -> None:
        caught.append(f"{category.__name__}: {message} ({os.path.basename(filename)}:{lineno})")
        original_showwarning(message, category, filename, lineno, file, line)

    keras_module = "keras" if flavour == "keras3" else "tf_keras"
    __import__(keras_module)
    # Speed only: TensorFlow's import makes millions of long-lived objects; frozen, they are no longer
    # walked by every full collection (clear_session, IPython's reset and tracing each trigger some).
    gc.collect()
    gc.freeze()
    startup_seconds = round(time.perf_counter() - worker_start, 2)
    setup = (f"import {keras_module} as _k\n_k.backend.clear_session()\n_k.utils.set_random_seed(0)\n"
             "del _k\n")
    results = []
    for program in load_programs(names):
        result = ProgramResult(program["name"], program["title"], program["source"], flavour,
                               ran=untested or flavour in program["flavours"])
        if not result.ran:
            results.append(asdict(result))
            continue
        setup_start = time.perf_counter()
        ip.reset(new_session=False)
        forget()
        ip.run_cell(setup, store_history=False)
        gc.freeze()  # what survived the reset and clear_session lives on (caches); stop re-walking it
        result.setup_seconds = round(time.perf_counter() - setup_start, 3)
        before = ksm.last_report()
        problem = None
        del records[:], caught[:]
        start, cpu_start = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.showwarning = _showwarning
            for index, cell in enumerate(program["cells"]):
                code = for_flavour(cell, flavour)
                if magic:
                    code = "%%kerascheck\n" + code
                cell_start = time.perf_counter()
                with capture_output() as cap:
                    cell_result = ip.run_cell(code, store_history=True)
                result.cell_seconds.append(round(time.perf_counter() - cell_start, 3))
                result.stdout += cap.stdout
                result.stderr += cap.stderr
                result.outputs += [str(o.data.get("text/plain", "")) for o in cap.outputs]
                shown = [str(o.data.get("text/html", "")) for o in cap.outputs]
                clean = [h for h in shown if "ksm-passed" in h and "ksm-warning-item" not in h]
                result.checked_outputs += len(clean)
                result.report_outputs += sum("ksm-report" in h for h in shown) - len(clean)
                latest = ksm.last_report()
                if latest is not None and latest is not before and (not getattr(latest, "passed", False)
                                                                    or getattr(latest, "warnings", ())):
                    problem = latest
                error = cell_result.error_before_exec or cell_result.error_in_exec
                if error is not None:
                    result.error = f"{type(error).__name__}: {error}"[:2000]
                    result.error_cell = index
                    break
        result.seconds = round(time.perf_counter() - start, 3)
        result.cpu_seconds = round(time.process_time() - cpu_start, 3)
        result.warnings = list(caught)
        result.log_records = [f"{r.name}: {r.getMessage()}"[:1000] for r in records]
        after = problem
        result.last_report_after = after is not None
        result.new_report = after is not None
        if after is not None:
            try:
                result.report_text = after.to_text()
            except Exception as exc:  # the report itself is what we want to see; never fail on it
                result.report_text = f"<to_text failed: {exc!r}>"
        results.append(asdict(result))
    payload = {"seconds": round(time.perf_counter() - worker_start, 2), "startup_seconds": startup_seconds,
               "results": results}
    Path(out).write_text(json.dumps(payload), encoding="utf-8")


# ----------------------------------------------------------------------------- the parent


@dataclass
class FlavourRun:
    """One flavour's subprocess: its results, wall time, and what it wrote outside the captured cells."""

    flavour: str
    results: list[ProgramResult]
    seconds: float  # the worker's own wall time, interpreter start-up excluded
    returncode: int
    process_output: str  # what the subprocess itself wrote (stdout + stderr, outside the captured cells)


class _Worker:
    """One flavour's worker subprocess, started; :meth:`finish` waits for it and reads its results."""

    def __init__(self, flavour: str, magic: bool, only: list[str] | None, untested: bool,
                 one_thread: bool = False) -> None:
        if flavour not in FLAVOURS:
            raise ValueError(f"unknown flavour {flavour!r}")
        self.flavour = flavour
        env = dict(os.environ)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env.pop("TF_USE_LEGACY_KERAS", None)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
        env["MPLBACKEND"] = "Agg"
        if one_thread:  # side by side with another worker: one TensorFlow thread pool each, no oversubscription
            env.setdefault("TF_NUM_INTRAOP_THREADS", "1")
            env.setdefault("TF_NUM_INTEROP_THREADS", "1")
        self.tmp = tempfile.TemporaryDirectory(prefix="ksm-correct-")
        self.out = os.path.join(self.tmp.name, "results.json")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", flavour, "--out", self.out]
        if magic:
            cmd.append("--magic")
        if untested:
            cmd.append("--untested")
        if only:
            cmd += ["--only", ",".join(only)]
        self.log = open(os.path.join(self.tmp.name, "stderr.txt"), "w+", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, cwd=self.tmp.name, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT, text=True)

    def finish(self, timeout: float = 900) -> FlavourRun:
        try:
            returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        finally:
            self.log.seek(0)
            process_output = self.log.read()
            self.log.close()
        try:
            if not os.path.exists(self.out):
                raise RuntimeError(f"the {self.flavour} worker wrote no results (exit {returncode}):\n"
                                   f"{process_output[-6000:]}")
            raw = json.loads(Path(self.out).read_text(encoding="utf-8"))
        finally:
            self.tmp.cleanup()
        return FlavourRun(self.flavour, [ProgramResult(**r) for r in raw["results"]], raw["seconds"],
                          returncode, process_output)


def run_flavour(flavour: str, magic: bool = False, only: list[str] | None = None, untested: bool = False,
                timeout: float = 900) -> FlavourRun:
    """Run the programs of ``flavour`` in one fresh subprocess."""
    return _Worker(flavour, magic, only, untested).finish(timeout)


def run(flavours: list[str] | tuple[str, ...] = FLAVOURS, magic: bool = False, only: list[str] | None = None,
        untested: bool = False, parallel: bool = False, timeout: float = 900) -> dict[str, FlavourRun]:
    """Run every flavour, one subprocess each: ``{flavour: FlavourRun}``.

    ``parallel``: start the flavours' subprocesses together (each is mostly one busy thread, so on
    two cores this about halves the wall time); otherwise one after the other.
    """
    if parallel:
        workers = [_Worker(flavour, magic, only, untested, one_thread=True) for flavour in flavours]
        return {w.flavour: w.finish(timeout) for w in workers}
    return {flavour: run_flavour(flavour, magic, only, untested, timeout) for flavour in flavours}


def summary_line(runs: dict[str, FlavourRun]) -> tuple[str, bool]:
    """``correct programs: R/T ran clean`` over every (program, flavour) that ran; and whether all did."""
    ran = [r for fr in runs.values() for r in fr.results if r.ran]
    clean = [r for r in ran if r.clean]
    return f"correct programs: {len(clean)}/{len(ran)} ran clean", len(clean) == len(ran)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flavour", action="append", choices=FLAVOURS,
                        help="keras3 and/or tf_keras (default: both)")
    parser.add_argument("--magic", action="store_true", help="prefix every cell with %%%%kerascheck")
    parser.add_argument("--only", help="comma-separated program name prefixes")
    parser.add_argument("--untested", action="store_true",
                        help="also run programs in flavours they do not list (to find where they run)")
    parser.add_argument("--warnings", action="store_true", help="list the warnings each program printed")
    parser.add_argument("--parallel", action="store_true", help="run the flavours' subprocesses at the same time")
    parser.add_argument("--json", help="write every result to this JSON file")
    parser.add_argument("--worker", choices=FLAVOURS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    only = [o for o in (args.only or "").split(",") if o] or None

    if args.worker:
        _worker(args.worker, args.magic, only, args.untested, args.out)
        return 0

    runs = run(args.flavour or list(FLAVOURS), magic=args.magic, only=only, untested=args.untested,
               parallel=args.parallel)
    for flavour, fr in runs.items():
        print(f"== {flavour}: {fr.seconds:.1f}s wall (subprocess exit {fr.returncode})")
        for r in fr.results:
            if not r.ran:
                print(f"   --    {r.name} (not listed for {flavour})")
                continue
            status = "ok  " if r.clean else ("RAISE" if r.raised else "REPORT")
            cells = " ".join(f"{c:.1f}" for c in r.cell_seconds)
            print(f"   {status:5} {r.name:<44} {r.seconds:6.2f}s (cpu {r.cpu_seconds:5.1f}s)  [{cells}]")
            if r.raised:
                print(f"         cell {r.error_cell}: {r.error[:500]}")
            if r.report_text:
                print("         " + r.report_text.replace("\n", "\n         "))
            if args.warnings:
                for w in r.warnings + r.log_records:
                    print(f"         warning: {w[:400]}")
    if args.json:
        payload = {f: {"seconds": fr.seconds, "returncode": fr.returncode, "process_output": fr.process_output,
                       "results": [asdict(r) for r in fr.results]} for f, fr in runs.items()}
        Path(args.json).write_text(json.dumps(payload, indent=1), encoding="utf-8")
    line, ok = summary_line(runs)
    print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
