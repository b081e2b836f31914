"""``%%kerascheck`` (run a cell with the check on) and ``%kerascheck`` (on / off / status / last)."""

from __future__ import annotations

import ast
import linecache
import sys
from typing import Any

from IPython.core.error import UsageError
from IPython.core.inputtransformer2 import cell_magic as stacked_cell_magic
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from traitlets import Bool, Enum, observe

from .display import RENDERS, ReportOptions, last_report, settings, show
from .hook import ShapeErrorHook
from .records import Fix


@magics_class
class KerasCheck(Magics):
    """The magics of keras_shapes_magic; the hook does the reporting.

    Settings are configurable traits, e.g. in ``ipython_config.py``::

        c.KerasCheck.render = "html"     # a front end without ipywidgets (VS Code, GitHub, marimo)
    """

    render = Enum(list(RENDERS), default_value="widget", config=True,
                  help="How reports are shown: 'widget' (interactive, with static HTML and text beside it), "
                       "'html' (static HTML and text), or 'text' (plain text only). "
                       "Also `%kerascheck render html`.")
    all_rows = Bool(False, config=True, help="Show every row of the table, not just the rows around the error.")

    def __init__(self, shell: Any, hook: ShapeErrorHook) -> None:
        super().__init__(shell)
        self.hook = hook
        self._apply_settings()

    @observe("render", "all_rows")
    def _settings_changed(self, change: Any) -> None:
        self._apply_settings()

    def _apply_settings(self) -> None:
        settings.render, settings.all_rows = self.render, self.all_rows

    @magic_arguments()
    @argument("--text", action="store_true", help="No widget: the static report only (text and HTML).")
    @argument("--all", action="store_true", help="Show every row of the table, not just the rows around the error.")
    @argument("--frame", action="store_true", help="Also display the table as a pandas DataFrame.")
    @argument("--traceback", action="store_true", help="Also show the full traceback (not just the error line).")
    @cell_magic("kerascheck")
    def kerascheck_cell(self, line: str, cell: str) -> Any:
        """Run the cell with the shape check on; a Keras shape error shows the layer-by-layer table.

        Usage: ``%%kerascheck [--text] [--all] [--frame] [--traceback]``
        """
        # Typed cells are rewritten by CheckedCellTransformer; this runs for run_cell_magic() calls.
        self._start_checked_cell(line)
        return self._run(cell)

    def _start_checked_cell(self, line: str) -> None:
        """Parse the cell options and switch the check on until the cell ends (the hook resets it)."""
        args = _parse(self.kerascheck_cell, line)
        self.hook.begin_checked_cell(ReportOptions(render="html" if args.text else None, all_rows=args.all or None,
                                                   frame=args.frame, traceback=args.traceback))

    def _run(self, cell: str) -> Any:
        """Run the body as ``%%time`` does, so errors reach the hook and ``%tb`` (no nested run_cell)."""
        shell = self.shell
        source = shell.transform_cell(cell)
        filename = shell.compile.cache(source, shell.execution_count, raw_code=cell)
        tree = shell.compile.ast_parse(source, filename=filename)
        tree = shell.transform_ast(tree)
        last_expr = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last_expr = ast.Expression(tree.body.pop().value)
        namespace = shell.user_ns
        exec(shell.compile(tree, filename, "exec"), namespace)
        if last_expr is not None:
            return eval(shell.compile(last_expr, filename, "eval"), namespace)
        return None

    @magic_arguments()
    @argument("command", nargs="?", default="status",
              choices=["on", "off", "status", "last", "table", "fix", "render", "strict"],
              help="on/off: the automatic hook for every cell; status; last: show the last report again; "
                   "table: the last report as a DataFrame; fix [N]: insert fix N of the last report as a new cell; "
                   "render widget|html|text: how reports are shown; strict on|off: check every cell as "
                   "%%%%kerascheck does (passing cells too).")
    @argument("value", nargs="?", default=None,
              help="fix: which fix to insert (from 1); render: widget, html or text; strict: on or off.")
    @line_magic("kerascheck")
    def kerascheck_line(self, line: str) -> Any:
        """``%kerascheck on|off|status|last|table|fix [N]|render MODE``: control the hook, reuse the last report."""
        if line.strip().split(" ", 1)[0] == "cell":  # written by CheckedCellTransformer
            options = line.strip()[len("cell"):]
            self._start_checked_cell(options)
            _show_user_first_line(f"%%kerascheck {options.strip()}".strip())
            return None
        args = _parse(self.kerascheck_line, line)
        if args.command == "strict":
            if args.value not in ("on", "off"):
                raise UsageError(f"%kerascheck strict takes on or off (now: {'on' if self.hook.strict else 'off'}).")
            self.hook.strict = args.value == "on"
            return None
        if args.command == "render":
            if args.value not in RENDERS:
                raise UsageError(f"%kerascheck render takes one of {', '.join(RENDERS)} (now: {self.render}).")
            self.render = args.value
            return None
        if args.command == "on":
            self.hook.enabled = True
        elif args.command == "off":
            self.hook.enabled = False
        elif args.command in ("last", "table", "fix"):
            report = last_report()
            if report is None:
                raise UsageError("No shape report yet in this session.")
            if args.command == "table":
                return report.to_frame()
            if args.command == "fix":
                number = int(args.value) if (args.value or "1").isdigit() else 0
                if not 1 <= number <= len(report.fixes):
                    raise UsageError(f"The last report has fixes 1 to {len(report.fixes)}.")
                self.shell.set_next_input(fix_code(report.fixes[number - 1]), replace=False)
                return None
            show(report, ReportOptions())
            return None
        state = "on" if self.hook.enabled else "off (still on inside %%kerascheck cells)"
        active = "" if self.hook.is_current() else " — another tool has replaced the exception handler"
        strict = "; strict checks of passing cells are on" if self.hook.strict else ""
        print(f"keras_shapes_magic: automatic shape reports are {state}{active}; reports render as {self.render}"
              f"{strict}.")
        return None


class CheckedCellTransformer:
    """Rewrites a ``%%kerascheck`` cell so that its body runs as a plain cell.

    IPython would run the body inside the magic, a few frames deeper, and on Python 3.11
    that alone slows a ``fit`` by a few percent (CPython frees and re-maps a frame-stack
    chunk at every crossing; python/cpython#142183). As a plain cell the body also keeps
    top-level ``await``. The first line becomes a call that switches the check on for this
    cell; every other line, and so every line number, stays as it is. A second cell magic
    right below (``%%time``, ``%%capture``...) runs the rest of the cell, as stacked cell
    magics do.
    """

    def __init__(self, hook: ShapeErrorHook) -> None:
        self.hook = hook

    def __call__(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        first = lines[0].strip()
        if first != "%%kerascheck" and not first.startswith(("%%kerascheck ", "%%kerascheck\t")):
            return lines
        options = first[len("%%kerascheck"):].strip()
        call = f"get_ipython().run_line_magic('kerascheck', {('cell ' + options).strip()!r})\n"
        rest = lines[1:]
        if rest and rest[0].startswith("%%"):
            rest = stacked_cell_magic(rest)  # IPython's own rewrite of a leading cell magic
        return [call, *rest]


def _show_user_first_line(first_line: str) -> None:
    """Tracebacks and ``%tb`` show the user's ``%%kerascheck`` line (as a comment), not our rewrite of it.

    IPython caches the transformed cell for tracebacks; the cell's first line in that cache
    becomes ``# %%kerascheck ...`` (the compiled code is unchanged, the cached source stays Python).
    """
    frame = sys._getframe(1)
    for _ in range(12):
        if frame is None:
            return
        filename = frame.f_code.co_filename
        entry = linecache.cache.get(filename)
        if frame.f_code.co_name == "<module>" and entry and len(entry) == 4 and entry[2] \
                and entry[2][0].startswith("get_ipython().run_line_magic('kerascheck', 'cell"):
            size, mtime, lines, name = entry
            # a comment: the cached cell must stay valid Python (AutoGraph re-parses it for lambdas)
            linecache.cache[filename] = (size, mtime, [f"# {first_line}\n", *lines[1:]], name)
            return
        frame = frame.f_back


def fix_code(fix: str) -> str:
    """The code of a fix (its first code span), as a cell to insert, with the sentence as a comment."""
    fix = Fix(fix)
    if fix.code:
        return f"# keras_shapes_magic fix: {fix.text}\n{fix.code}\n"
    return f"# keras_shapes_magic fix: {fix.text}\n"


def _parse(method: Any, line: str) -> Any:
    try:
        return parse_argstring(method, line)
    except (UsageError, SystemExit) as error:  # SystemExit: argparse's own exit on a bad argument
        parser = getattr(method, "parser", None)
        usage = parser.format_usage() if parser is not None else ""
        usage = " ".join(part.strip() for part in usage.splitlines() if part.strip() not in ("", "::"))
        raise UsageError(f"{error} (got {line.strip()!r})\n{usage}") from None


# argparse names the magic after the method; users type %%kerascheck / %kerascheck
# (IPython's help formatter adds one "%" itself)
KerasCheck.kerascheck_cell.parser.prog = "%kerascheck"  # type: ignore[attr-defined]
KerasCheck.kerascheck_line.parser.prog = "kerascheck"  # type: ignore[attr-defined]
