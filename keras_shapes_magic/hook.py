"""The IPython exception hook: shape errors get a report, every other error its normal traceback.

Contract with IPython (``set_custom_exc``): one slot, not a stack. We save what was
there, chain to it for errors that are not ours, and put it back on unload only if the
slot is still ours. The handler never raises: any failure of ours falls back to the
normal traceback plus one short note, and the hook stays registered.

Other tools may install their own handler after ours and chain back to it. Then:
our handler reports at most once per exception (a re-entry through their chain only
passes the error on), is inert after ``%unload_ext``, and a ``%%kerascheck`` cell
borrows the slot for that cell only, giving it back when the cell ends.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any

from . import capture, watch
from .display import ReportOptions, show
from .limits import MAX_NOTE_CHARS

NOTE = "keras_shapes_magic: could not build the shape report ({}); the error above is unchanged."
PASS_NOTE = "keras_shapes_magic: could not check this cell's shapes ({}); the cell itself ran normally."


@dataclass
class _Slot:
    """What a handler slot held: the exception classes and the handler."""

    exceptions: tuple[type[BaseException], ...]
    handler: Any

    @classmethod
    def of(cls, shell: Any) -> _Slot:
        exceptions = tuple(shell.custom_exceptions or ())
        return cls(exceptions, shell.CustomTB if exceptions else None)

    def handles(self, value: BaseException) -> bool:
        return self.handler is not None and bool(self.exceptions) and isinstance(value, self.exceptions)

    def restore(self, shell: Any) -> None:
        if self.handler is None:
            shell.set_custom_exc((), None)
        else:
            shell.custom_exceptions, shell.CustomTB = self.exceptions, self.handler


class ShapeErrorHook:
    """Installs, runs and removes the custom exception handler of one shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.enabled = True
        #: set by ``%%kerascheck`` for the duration of its cell
        self.forced = False
        #: ``%kerascheck strict on``: every cell is checked as a ``%%kerascheck`` cell is (passing ones too)
        self.strict = False
        self.cell_options = ReportOptions()
        self.active = False  # False before install and after uninstall: the handler only passes errors on
        self.previous = _Slot.of(shell)
        self._borrowed: _Slot | None = None  # the other tool's slot while a %%kerascheck cell borrows it
        self._installed_handler: Any = None
        self._cell_depth = 0
        self._handling: int | None = None  # id of the exception being handled (never the exception itself)
        self._reported = False
        self._reentered = False

    # ------------------------------------------------------------------ lifecycle
    def install(self) -> None:
        """Register the handler and the per-cell events."""
        self._take_slot(self.previous)
        self.active = True
        self.shell.events.register("pre_run_cell", self._pre_run_cell)
        self.shell.events.register("post_run_cell", self._post_run_cell)
        capture.install()

    def _take_slot(self, chained: _Slot) -> None:
        exceptions = tuple(dict.fromkeys((Exception, *chained.exceptions)))
        self.shell.set_custom_exc(exceptions, self._handler)
        self._installed_handler = self.shell.CustomTB

    def is_current(self) -> bool:
        """True while the shell's handler slot still holds ours."""
        return self._installed_handler is not None and self.shell.CustomTB is self._installed_handler

    def uninstall(self) -> None:
        """Remove everything; restore the previous handler if the slot is still ours."""
        self._give_back_borrowed_slot()
        if self.is_current():
            self.previous.restore(self.shell)
        for name, callback in (("pre_run_cell", self._pre_run_cell), ("post_run_cell", self._post_run_cell)):
            try:
                self.shell.events.unregister(name, callback)
            except ValueError:
                pass
        capture.uninstall()
        watch.uninstall()
        self._installed_handler = None
        self.active = False  # another tool may still chain to our handler: from now on it only passes on

    # ------------------------------------------------------------------ cells
    def begin_checked_cell(self, options: ReportOptions) -> None:
        """``%%kerascheck``: report this cell's shape errors with ``options``, whoever owns the slot."""
        self.forced = True
        self.cell_options = options
        watch.start()
        if self.active and not self.is_current() and self._borrowed is None:
            self._borrowed = _Slot.of(self.shell)
            self._take_slot(self._borrowed)

    def _give_back_borrowed_slot(self) -> None:
        """End of a ``%%kerascheck`` cell that borrowed the slot: the other tool gets it back."""
        borrowed, self._borrowed = self._borrowed, None
        if borrowed is not None and self.is_current():
            borrowed.restore(self.shell)

    def _end_of_cell(self, result: Any = None) -> None:
        capture.clear()  # frames of other cells are never evidence
        self._check_passing_cell(result)
        self.forced, self.cell_options = False, ReportOptions()
        self._give_back_borrowed_slot()

    def _pre_run_cell(self, *args: Any) -> None:
        # Silent requests fire no events: what such a cell set is dropped here, at the next cell.
        if self._cell_depth == 0:
            self._end_of_cell()
            if self.strict and self.active:
                watch.start()
        else:
            capture.clear()
        self._cell_depth += 1

    def _post_run_cell(self, result: Any = None, *args: Any) -> None:
        self._cell_depth = max(0, self._cell_depth - 1)
        if self._cell_depth == 0:  # a nested run_cell must not end the outer %%kerascheck cell
            self._end_of_cell(result)
        else:
            capture.clear()

    def _check_passing_cell(self, result: Any) -> None:
        """A checked cell ended: if it passed and used a model, show its table and any silent shape hazards."""
        record = watch.stop()
        if record is None:
            return
        try:
            failed = result is None or not getattr(result, "success", False) or any(c.raised for c in record.calls)
            if failed or not record.calls:
                for text in record.keras_warnings:  # kept for a report that will not come: print them now
                    print(f"UserWarning: {text}", file=sys.stderr)
                return
            from .diagnosis.checks import check_cell

            report = check_cell(record.calls, record.keras_warnings, getattr(self.shell, "user_ns", None))
            if report is not None:
                show(report, self.cell_options)
        except Exception as error:  # a bug of ours must never disturb a cell that worked
            _print_note(PASS_NOTE.format(f"{type(error).__name__}: {_short(error)}"))
        finally:
            record.calls.clear()  # no reference to the user's model or data survives the cell

    # ------------------------------------------------------------------ handler
    def _handler(self, shell: Any, etype: type[BaseException], value: BaseException,
                 tb: types.TracebackType | None, tb_offset: int | None = None) -> None:
        """IPython calls this for every exception of a cell; it must never raise."""
        if self._handling == id(value):  # re-entered through another tool's chain
            self._reentered = True
            if self._reported:
                self._show_traceback(etype, value, tb, tb_offset, exception_only=not self.cell_options.traceback)
            else:
                self._pass_on(etype, value, tb, tb_offset, self.previous)
            return None
        if not self.active:  # unloaded, but another tool still chains to us: only pass the error on
            self._pass_on(etype, value, tb, tb_offset, self.previous)
            return None
        self._handling, self._reported, self._reentered = id(value), False, False
        try:
            self._handle(etype, value, tb, tb_offset)
        finally:
            self._handling = None
        return None

    def _handle(self, etype: type[BaseException], value: BaseException, tb: types.TracebackType | None,
                tb_offset: int | None) -> None:
        note = None
        report = None
        options = self.cell_options
        try:
            if (self.enabled or self.forced) and not isinstance(value, (SyntaxError, KeyboardInterrupt)):
                from .diagnosis import diagnose

                report = diagnose(value, getattr(self.shell, "user_ns", None), frames=capture.frames_for(value))
        except BaseException as error:  # a bug of ours must not cost the user their traceback
            note = NOTE.format(f"{type(error).__name__}: {_short(error)}")
            report = None
        finally:
            capture.clear()
        if report is None:
            self._pass_on(etype, value, tb, tb_offset, self._borrowed or self.previous)
            if note:
                _print_note(note)
            return
        try:
            show(report, options)
        except BaseException as error:
            self._show_traceback(etype, value, tb, tb_offset)
            _print_note(NOTE.format(f"{type(error).__name__}: {_short(error)}"))
            return
        self._reported = True
        if self._borrowed is not None and self._borrowed.handles(value):
            # a %%kerascheck cell borrowed the slot: the other tool still sees its errors
            self._pass_on(etype, value, tb, tb_offset, self._borrowed)
            if self._reentered:  # it chained back to us, and we showed the error line then
                return
        # The original error stays: type, message, ename/evalue for the kernel, %tb, %pdb.
        self._show_traceback(etype, value, tb, tb_offset, exception_only=not options.traceback)

    def _pass_on(self, etype: type[BaseException], value: BaseException, tb: types.TracebackType | None,
                 tb_offset: int | None, chained: _Slot) -> None:
        """Chain to the handler that was there first, or show IPython's normal traceback."""
        if not chained.handles(value):
            self._show_traceback(etype, value, tb, tb_offset)
            return
        try:
            chained.handler(etype, value, tb, tb_offset=tb_offset)
        except BaseException:
            self._show_traceback(etype, value, tb, tb_offset)
        if self.active and self._installed_handler is not None and not self.is_current() \
                and not self.shell.custom_exceptions:
            # the other handler failed and IPython emptied the slot: keep ours, drop the broken one
            if chained is self.previous:
                self.previous = _Slot((), None)
            self._borrowed = None
            self._take_slot(self.previous)

    def _show_traceback(self, etype: type[BaseException], value: BaseException, tb: types.TracebackType | None,
                        tb_offset: int | None, exception_only: bool = False) -> None:
        """What IPython shows without us (``exception_only``: the error line under a report)."""
        shell = self.shell
        try:
            if isinstance(value, SyntaxError) and not _raised_at_run_time(tb):
                if isinstance(value, IndentationError):
                    shell.showindentationerror()
                else:
                    shell.showsyntaxerror()
            elif exception_only:
                shell.showtraceback((etype, value, tb), tb_offset=tb_offset, exception_only=True)
                if shell.call_pdb:  # %pdb on: the post-mortem debugger, as IPython's full path starts it
                    shell.InteractiveTB.tb = tb
                    shell.debugger(force=True)
            else:
                shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
        except BaseException:
            import traceback

            traceback.print_exception(etype, value, tb)


def _raised_at_run_time(tb: types.TracebackType | None) -> bool:
    """A SyntaxError from ``eval``/``compile`` in running code has the cell's frame in its stack."""
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "<module>":
            return True
        tb = tb.tb_next
    return False


def _short(error: BaseException) -> str:
    try:
        return str(error).splitlines()[0][:MAX_NOTE_CHARS]
    except Exception:
        return "?"


def _print_note(note: str) -> None:
    try:
        print(note, file=sys.stderr)
    except Exception:
        pass
