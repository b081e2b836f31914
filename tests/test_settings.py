"""Settings as configurable traits (``c.KerasCheck.render``, ``%kerascheck render html``) and the one
presentation path that honours them and the per-cell options."""

from __future__ import annotations

from typing import Any

import pytest
from test_render import concat_report

from keras_shapes_magic import display
from keras_shapes_magic.display import ReportOptions, mimebundle

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def kernel_like(monkeypatch: pytest.MonkeyPatch) -> None:
    """As under a Jupyter kernel, where a widget can live; the settings put back afterwards."""
    monkeypatch.setattr(display, "_in_kernel", lambda: True)
    monkeypatch.setattr(display.settings, "render", "widget")
    monkeypatch.setattr(display.settings, "all_rows", False)


@pytest.mark.unit
@pytest.mark.parametrize(("render", "mimes"), [
    ("widget", {"text/plain", "text/html", WIDGET_MIME}),
    ("html", {"text/plain", "text/html"}),
    ("text", {"text/plain"}),
])
def test_the_session_render_decides_the_bundle(kernel_like: None, render: str, mimes: set[str]) -> None:
    display.settings.render = render
    bundle = mimebundle(concat_report())
    assert set(bundle) == mimes
    assert ">> merge" in bundle["text/plain"]
    display.forget()


@pytest.mark.unit
def test_a_cells_options_win_over_the_session(kernel_like: None) -> None:
    display.settings.render = "text"
    assert "text/html" in mimebundle(concat_report(), ReportOptions(render="html"))
    display.settings.render = "widget"
    assert WIDGET_MIME not in mimebundle(concat_report(), ReportOptions(render="html"))
    display.forget()


@pytest.mark.unit
def test_all_rows_unfolds_the_text(kernel_like: None) -> None:
    from test_render import deep_report

    folded = mimebundle(deep_report(), ReportOptions(render="text"))["text/plain"]
    unfolded = mimebundle(deep_report(), ReportOptions(render="text", all_rows=True))["text/plain"]
    assert "rows folded" in folded and "rows folded" not in unfolded


@pytest.mark.integration
def test_render_command_and_status(ksm_shell: Any) -> None:
    from IPython.core.error import UsageError
    from IPython.utils.capture import capture_output

    try:
        ksm_shell.run_line_magic("kerascheck", "render html")
        assert display.settings.render == "html"
        with capture_output() as status:
            ksm_shell.run_line_magic("kerascheck", "status")
        assert "render as html" in status.stdout
        with pytest.raises(UsageError, match="widget, html, text"):
            ksm_shell.run_line_magic("kerascheck", "render fancy")
        assert display.settings.render == "html"
    finally:
        ksm_shell.run_line_magic("kerascheck", "render widget")


@pytest.mark.integration
def test_ipython_config_sets_the_render(ksm_shell: Any) -> None:
    ksm_shell.config.KerasCheck.render = "text"
    try:
        ksm_shell.run_line_magic("reload_ext", "keras_shapes_magic")
        assert display.settings.render == "text"
    finally:
        del ksm_shell.config.KerasCheck["render"]
        ksm_shell.run_line_magic("reload_ext", "keras_shapes_magic")
    assert display.settings.render == "widget"


@pytest.mark.integration
def test_unload_puts_the_default_settings_back(ksm_shell: Any) -> None:
    ksm_shell.run_line_magic("kerascheck", "render text")
    ksm_shell.run_line_magic("unload_ext", "keras_shapes_magic")
    assert display.settings.render == "widget"
    ksm_shell.run_line_magic("load_ext", "keras_shapes_magic")
