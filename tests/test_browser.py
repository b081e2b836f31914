"""The report widget in a real, headless Chromium: JupyterLab, Notebook 7, and exported HTML.

The browser part runs in a subprocess (``tests/browser_check.py``): Playwright's sync API
cannot run inside a running asyncio loop. Screenshots go to ``artifacts/screenshots/``
(``$KSM_ARTIFACTS/screenshots`` if ``KSM_ARTIFACTS`` is set), the JSON results and server
logs to ``artifacts/browser/``.

Needs Debian's ``chromium`` (or ``$CHROMIUM``) and the ``playwright`` Python package (never
``playwright install``). Without them these tests skip, except under ``CI=true``, where a
missing browser is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.integration]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCRIPT = HERE / "browser_check.py"
NOTEBOOK = HERE / "notebooks" / "widget_check.ipynb"
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
#: one browser check (server start, kernel with TensorFlow, run, clicks, shutdown) takes 15 to 25 s
SCRIPT_TIMEOUT = 150

#: checks every live run (Lab, Notebook 7) must have made and passed
LIVE_CHECKS = [
    "kernel went busy, then idle with no [*] prompt",
    "no error outputs outside raises-exception cells",
    "every code cell ran",
    "one live report widget per raises-exception cell",
    "no widget rendering errors",
    "offending row background",
    "details show the offending row at first",
    "picking a row updates .ksm-details-body",
    "large report is folded (more than 40 rows, fewer shown, a fold row)",
    "show-all shows every row",
    "no fold rows after show-all",
]
HTML_CHECKS = [
    "tr.ksm-offending inside a .ksm-report",
    "offending row background is not transparent",
    "'ValueError' shown",
]


def artifacts_dir() -> Path:
    return Path(os.environ.get("KSM_ARTIFACTS") or ROOT / "artifacts").resolve()


def screenshots_dir() -> Path:
    return artifacts_dir() / "screenshots"


def unavailable(reason: str) -> None:
    """Skip, or fail under ``CI=true`` (CI installs the browser: its absence is a broken set-up)."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing browser tool is a failure, not a skip)")
    pytest.skip(reason)


def _find_chromium() -> str:
    spec = importlib.util.spec_from_file_location("ksm_browser_check", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_chromium()


@pytest.fixture(scope="module")
def chromium() -> str:
    """The browser binary; skips (fails under CI) without it or without playwright."""
    path = _find_chromium()
    if not path:
        unavailable("chromium not found (apt-get install -y chromium, or set CHROMIUM)")
    if importlib.util.find_spec("playwright") is None:
        unavailable("python package 'playwright' not installed (pip install playwright; never 'playwright install')")
    return path


def need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        unavailable(f"python package {module!r} not installed (pip install -e '.[test]')")


def run_browser_check(args: list[str], name: str, chromium: str) -> dict[str, Any]:
    """Run ``browser_check.py`` and return its JSON result (the test fails on a set-up error)."""
    shots = screenshots_dir()
    logs = artifacts_dir() / "browser"
    shots.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    for old in (f"{name}.png", f"{name}-show-all.png", f"{name}-passing.png", f"{name}-failure.png"):
        (shots / old).unlink(missing_ok=True)
    result_path = logs / f"{name}.json"
    result_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(SCRIPT), *args, "--name", name, "--out-dir", str(shots),
           "--json", str(result_path), "--chromium", chromium]
    if "--ui" in args and args[args.index("--ui") + 1] != "html":
        cmd += ["--server-log", str(logs / f"{name}.server.log")]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"browser check {name} took more than {SCRIPT_TIMEOUT}s\n{(e.stdout or '')[-3000:]}")
    (logs / f"{name}.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode == 2 or not result_path.exists():
        pytest.fail(f"browser check {name} could not run (rc={proc.returncode}):\n"
                    f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return json.loads(result_path.read_text())


def assert_result(res: dict[str, Any], required: list[str], name: str, capsys: pytest.CaptureFixture[str]) -> None:
    checks = {c["name"]: c for c in res["checks"]}
    with capsys.disabled():
        print(f"\n[{name}] screenshots in {screenshots_dir()}: "
              f"{', '.join(Path(p).name for p in res.get('screenshots', []))}")
        print(f"[{name}] timings (s): {res.get('timings_s')}")
        print(f"[{name}] blocked non-local requests: {res.get('blocked_requests') or 'none'}")
        if res.get("console_errors"):
            print(f"[{name}] browser console errors: {res['console_errors']}")
    failed = [f"{c['name']}: {c['detail']}" for c in res["checks"] if not c["ok"]]
    assert not failed, f"{name}: failed browser checks:\n  " + "\n  ".join(failed)
    missing = [r for r in required if r not in checks]
    assert not missing, f"{name}: checks not made: {missing}"
    assert res["ok"], f"{name}: result not ok: {res}"
    for shot in res.get("screenshots", []):
        assert Path(shot).is_file(), shot


@pytest.mark.parametrize(("ui", "name", "module", "theme"), [("lab", "lab", "jupyterlab", "light"),
                                                             ("notebook", "notebook7", "notebook", "light"),
                                                             ("lab", "lab-dark", "jupyterlab", "dark")])
def test_live_widget(ui: str, name: str, module: str, theme: str, chromium: str,
                     capsys: pytest.CaptureFixture[str]) -> None:
    """Run-all in a live front end; offending row highlighted, row picker, show-all, error outputs."""
    need(module)
    need("ipywidgets")
    res = run_browser_check(["--ui", ui, "--theme", theme, str(NOTEBOOK)], name, chromium)
    assert_result(res, LIVE_CHECKS, name, capsys)
    # both screenshots: the first report, and the large report after "show all"
    assert {Path(p).name for p in res["screenshots"]} == {f"{name}.png", f"{name}-show-all.png", f"{name}-passing.png"}
    raising = [c for c in res["cells"] if c["raises"]]
    assert len(raising) == 2
    for cell in raising:
        assert [e["ename"] for e in cell["errors"]] == ["ValueError"]
        assert checks_named(res, f"cell {cell['index']} error output shows 'ValueError'")
    assert res["offending_background"] == "rgb(255, 208, 208)"


def checks_named(res: dict[str, Any], name: str) -> bool:
    return any(c["name"] == name and c["ok"] for c in res["checks"])


def test_exported_html(chromium: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """nbclient (no widget state) + nbconvert HTML, opened offline: the static report shows."""
    for module in ("nbclient", "nbconvert", "nbformat", "ipykernel"):
        need(module)
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=180, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # cells tagged raises-exception may fail; any other error raises here
    assert "widgets" not in nb.metadata, "widget state was saved: the export would be blank offline"
    errors = [(i, o.get("ename")) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert [e for _, e in errors] == ["ValueError", "ValueError"], errors
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert "ksm-offending" in body
    html_file = tmp_path / "widget_check.html"
    html_file.write_text(body, encoding="utf-8")
    keep = artifacts_dir() / "browser"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(html_file, keep / "widget_check.html")
    res = run_browser_check(["--ui", "html", str(html_file)], "exported-html", chromium)
    assert_result(res, HTML_CHECKS, "exported-html", capsys)
    assert res["offending_background"] not in ("", "transparent", "rgba(0, 0, 0, 0)")
