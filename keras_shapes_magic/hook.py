"""The IPython exception hook: shape errors get a report, every other error its normal traceback.

Contract with IPython (``set_custom_exc``): one slot, not a stack. We save what was
there, chain to it for errors that are not ours, and put it back on unload only if the
slot is still ours. The handler never raises: any failure of ours falls back to the
normal traceback plus one short note, and the hook stays registered.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from . import capture
from .display import show

NOTE = "keras_shapes_magic: could not build the shape report ({}); the error above is unchanged."


class ShapeErrorHook:
    """Installs, runs and removes the custom exception handler of one shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.enabled = True
        self.forced = False  # set by %%kerascheck for the duration of its cell
        self.cell_options: dict[str, Any] = {}
        self.previous_exceptions: tuple[type[BaseException], ...] = tuple(shell.custom_exceptions or ())
        self.previous_handler: Any = shell.CustomTB if self.previous_exceptions else None
        self._installed_handler: Any = None

    # ------------------------------------------------------------------ lifecycle
    def install(self) -> None:
        """Register the handler and the per-cell events."""
        exceptions = tuple(dict.fromkeys((Exception,) + self.previous_exceptions))
        self.shell.set_custom_exc(exceptions, self._handler)
        self._installed_handler = self.shell.CustomTB
        self.shell.events.register("pre_run_cell", self._pre_run_cell)
        self.shell.events.register("post_run_cell", self._post_run_cell)
        capture.install()

    def is_current(self) -> bool:
        """True while the shell's handler slot still holds ours."""
        return self._installed_handler is not None and self.shell.CustomTB is self._installed_handler

    def uninstall(self) -> None:
        """Remove everything; restore the previous handler if the slot is still ours."""
        if self.is_current():
            if self.previous_handler is not None:
                self.shell.custom_exceptions = self.previous_exceptions
                self.shell.CustomTB = self.previous_handler
            else:
                self.shell.set_custom_exc((), None)
        for name, callback in (("pre_run_cell", self._pre_run_cell), ("post_run_cell", self._post_run_cell)):
            try:
                self.shell.events.unregister(name, callback)
            except ValueError:
                pass
        capture.uninstall()
        self._installed_handler = None

    def _pre_run_cell(self, *args: Any) -> None:
        capture.clear()  # frames of earlier cells are never evidence for this one

    def _post_run_cell(self, *args: Any) -> None:
        capture.clear()
        self.forced, self.cell_options = False, {}

    # ------------------------------------------------------------------ handler
    def _handler(self, shell: Any, etype: type[BaseException], value: BaseException,
                 tb: types.TracebackType | None, tb_offset: int | None = None) -> None:
        """IPython calls this for every exception of a cell; it must never raise."""
        note = None
        report = None
        try:
            if (self.enabled or self.forced) and not isinstance(value, (SyntaxError, KeyboardInterrupt)):
                from .diagnosis import diagnose

                report = diagnose(value, getattr(shell, "user_ns", None))
        except BaseException as error:  # a bug of ours must not cost the user their traceback
            note = NOTE.format(f"{type(error).__name__}: {_short(error)}")
            report = None
        finally:
            capture.clear()
        if report is None:
            self._not_ours(etype, value, tb, tb_offset)
            if note:
                _print_note(note)
            return None
        try:
            show(report, widget=self.cell_options.get("widget"), all_rows=self.cell_options.get("all_rows"))
            if self.cell_options.get("frame"):
                from IPython.display import display

                display(report.to_frame())
        except BaseException as error:
            self._show_traceback(etype, value, tb, tb_offset, exception_only=False)
            _print_note(NOTE.format(f"{type(error).__name__}: {_short(error)}"))
            return None
        # The original error stays: type, message, ename/evalue for the kernel, %tb.
        self._show_traceback(etype, value, tb, tb_offset, exception_only=not self.cell_options.get("traceback"))
        return None

    def _not_ours(self, etype: type[BaseException], value: BaseException, tb: types.TracebackType | None,
                  tb_offset: int | None) -> None:
        """Chain to the handler that was there first, or show IPython's normal traceback."""
        previous = self.previous_handler
        if previous is not None and isinstance(value, self.previous_exceptions):
            try:
                previous(etype, value, tb, tb_offset=tb_offset)
            except BaseException:
                self._show_traceback(etype, value, tb, tb_offset)
            if self._installed_handler is not None and not self.is_current() and not self.shell.custom_exceptions:
                # the other handler failed and IPython emptied the slot: keep ours, drop the broken one
                self.previous_handler, self.previous_exceptions = None, ()
                self.install_handler_only()
            return
        self._show_traceback(etype, value, tb, tb_offset)

    def install_handler_only(self) -> None:
        """Put our handler back into the slot (after another handler's failure emptied it)."""
        exceptions = tuple(dict.fromkeys((Exception,) + self.previous_exceptions))
        self.shell.set_custom_exc(exceptions, self._handler)
        self._installed_handler = self.shell.CustomTB

    def _show_traceback(self, etype: type[BaseException], value: BaseException, tb: types.TracebackType | None,
                        tb_offset: int | None, exception_only: bool = False) -> None:
        try:
            if isinstance(value, SyntaxError):
                self.shell.showsyntaxerror()
            elif exception_only:
                self.shell.showtraceback((etype, value, tb), tb_offset=tb_offset, exception_only=True)
            else:
                self.shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
        except BaseException:
            import traceback

            traceback.print_exception(etype, value, tb)


def _short(error: BaseException) -> str:
    try:
        return str(error).splitlines()[0][:120]
    except Exception:
        return "?"


def _print_note(note: str) -> None:
    try:
        print(note, file=sys.stderr)
    except Exception:
        pass
