#!/usr/bin/env python
"""Check the shape-report widget in a real, headless Chromium.

Run as a subprocess by ``tests/test_browser.py`` (Playwright's sync API cannot run
inside a running asyncio loop), or by hand::

    python tests/browser_check.py --ui lab      tests/notebooks/widget_check.ipynb --out-dir artifacts/screenshots
    python tests/browser_check.py --ui notebook tests/notebooks/widget_check.ipynb --out-dir artifacts/screenshots
    python tests/browser_check.py --ui html     exported.html --out-dir artifacts/screenshots

``--ui lab`` / ``--ui notebook`` start JupyterLab / Notebook 7 on 127.0.0.1 (free port, no
token, every piece of Jupyter state in a temporary folder), open a copy of the notebook,
run all cells and check, in the live page:

1. a ``tr.ksm-offending`` row inside a ``.ksm-report`` with the computed background
   ``rgb(255, 208, 208)``;
2. picking another row in the first report's ``.ksm-picker select`` makes
   ``.ksm-details-body`` show that row's name (a round trip through the kernel);
3. in the folded (large) report, ``.ksm-show-all`` makes the number of ``tr.ksm-row``
   equal the N of its "Show all N rows";
4. no error output except in cells tagged ``raises-exception``, every code cell ran, and
   those cells show the exception type (``ValueError``);
5. every browser request that is not loopback is aborted and recorded.

``--ui html`` opens an exported (nbconvert) HTML file as ``file://`` with every non-file
request aborted and checks that the static report shows a highlighted offending row.

Screenshots go to ``--out-dir`` (``NAME.png`` scrolled to the first report,
``NAME-show-all.png`` of the large report after "show all"), the result to ``--json``.
Exit code: 0 all checks passed, 1 a check failed, 2 set-up problem (no browser, no
playwright, no such file).

The project must not depend on anything outside it at test time: this file is
self-contained (standard library + playwright; psutil optional).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: the inline style of the offending row is ``background-color:#ffd0d0``
OFFENDING_BG = "rgb(255, 208, 208)"
TRANSPARENT = {"", "transparent", "rgba(0, 0, 0, 0)"}
EXPECTED_EXCEPTION = "ValueError"
DEFAULT_NAMES = {"lab": "lab", "notebook": "notebook7", "html": "exported-html"}


def log(msg: str) -> None:
    print(f"[browser_check {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium(explicit: str | None = None) -> str:
    """The browser binary: an explicit choice or ``$CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    if explicit:
        return explicit if os.path.exists(explicit) else ""
    for cand in (os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.path.exists(cand):
            return cand
    return ""


def row_name(label: str) -> str:
    """``'>> merge (Concatenate)'`` -> ``'merge'`` (the picker's option label -> the row's name).

    ipywidgets' ``Select`` shows spaces as non-breaking spaces: normalise them first.
    """
    label = label.replace("\xa0", " ").strip()
    for marker in (">>", "~"):
        if label.startswith(marker):
            label = label[len(marker):].strip()
    return label.rsplit(" (", 1)[0] if label.endswith(")") else label


# ---------------------------------------------------------------------------- server
class JupyterServer:
    """JupyterLab / Notebook 7 on 127.0.0.1, auth off, all user-level state in ``workdir``."""

    def __init__(self, workdir: Path, ui: str, log_path: Path, theme: str = "light") -> None:
        self.workdir, self.ui, self.log_path, self.theme = workdir, ui, log_path, theme
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.kernel_pids: set[int] = set()
        self._log: Any = None

    def start(self, timeout: float) -> None:
        root = self.workdir
        env = dict(os.environ)
        for var, sub in [("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"), ("IPYTHONDIR", "ipython")]:
            (root / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(root / sub)
        env["PYTHONUNBUFFERED"] = "1"
        env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        # No "news" / "update available" toasts (they would also try the network).
        notif = root / "lab-settings" / "@jupyterlab" / "apputils-extension"
        notif.mkdir(parents=True, exist_ok=True)
        (notif / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        if self.theme == "dark":
            (notif / "themes.jupyterlab-settings").write_text(json.dumps({"theme": "JupyterLab Dark"}))
        app = "LabApp" if self.ui == "lab" else "JupyterNotebookApp"
        module = "jupyterlab" if self.ui == "lab" else "notebook"
        cmd = [sys.executable, "-m", module, "--no-browser", "--allow-root",
               "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
               "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={root / 'notebooks'}",
               f"--{app}.expose_app_in_browser=True"]
        if self.ui == "lab":
            cmd += ["--LabApp.news_url=None",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        # A session of its own: a Ctrl-C on the test runner does not hit it twice.
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log(f"started jupyter {self.ui} pid={self.proc.pid} on {self.base}")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter exited early rc={self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/api/status", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"jupyter not answering on {self.base} after {timeout}s; see {self.log_path}")

    def remember_kernels(self) -> None:
        """Note the server's child processes (kernels), to kill only those if they outlive it."""
        if not self.proc:
            return
        try:
            import psutil

            self.kernel_pids |= {c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)}
        except Exception:  # psutil missing or process gone: best effort only
            pass

    def stop(self, timeout: float = 20) -> None:
        if not self.proc:
            return
        self.remember_kernels()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # jupyter_server shuts its kernels down on SIGTERM
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log("jupyter did not stop on SIGTERM; SIGKILL")
                self.proc.kill()
                self.proc.wait(5)
        leftovers = []
        for pid in sorted(self.kernel_pids):  # only processes this server spawned
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            leftovers.append(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if leftovers:
            log(f"killed leftover kernel pids {leftovers}")
        if self._log:
            self._log.close()


# ---------------------------------------------------------------------------- page scripts
KERNEL_IDLE_JS = """() => {
  const app = window.jupyterapp; if (!app) return false;
  const w = app.shell.currentWidget;
  const sc = w && w.sessionContext;
  const k = sc && sc.session && sc.session.kernel;
  return !!(k && k.status === 'idle' && w.content && w.content.widgets.length > 0);
}"""

# The kernel is idle *before* run-all starts: remember that it went busy.
MARK_BUSY_JS = """() => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  window.__ksm = {busy: false, done: false, error: null, result: null};
  k.statusChanged.connect((_, s) => { if (s === 'busy') window.__ksm.busy = true; });
}"""

RUN_ALL_JS = """async (ms) => {
  try {
    const run = window.jupyterapp.commands.execute('notebook:run-all-cells');
    window.__ksm.result = String(await Promise.race([run, new Promise(r => setTimeout(() => r('timeout'), ms))]));
  } catch (e) { window.__ksm.error = String(e); }
  window.__ksm.done = true;
  return {busy: window.__ksm.busy, error: window.__ksm.error, result: window.__ksm.result};
}"""

RUN_DONE_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle' || !window.__ksm.busy || !window.__ksm.done) return false;
  // queued or running cells show "[*]" in their prompt
  return ![...document.querySelectorAll('.jp-InputPrompt')].some(e => e.textContent.includes('*'));
}"""

# Run-all resolves (false) at the first error reply and resets the prompts of the cells
# after it to "[ ]", but a cell tagged raises-exception is sent with stop_on_error=false,
# so the kernel still runs those cells: between two of them the kernel is briefly idle with
# no "[*]" anywhere. So wait, too, until every code cell has an execution count.
SETTLED_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  if ([...document.querySelectorAll('.jp-InputPrompt')].some(e => e.textContent.includes('*'))) return false;
  return w.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount !== null);
}"""

# Tag each cell's DOM node with its index, so that Playwright locators can find it.
CELLS_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const nb = w.context.model.toJSON();
  return w.content.widgets.map((c, i) => {
    c.node.setAttribute('data-ksm-cell', String(i));
    const cell = nb.cells[i] || {};
    const tags = ((cell.metadata || {}).tags) || [];
    return {index: i, type: cell.cell_type, raises: tags.includes('raises-exception'),
            execution_count: cell.execution_count === undefined ? null : cell.execution_count,
            errors: (cell.outputs || []).filter(o => o.output_type === 'error')
                                        .map(o => ({ename: o.ename, evalue: String(o.evalue).slice(0, 200)}))};
  });
}"""

OUTPUTS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map(e => ({
  mime: e.getAttribute('data-mime-type'),
  text: e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 200)}))"""

SCROLL_JS = "(e, block) => e.scrollIntoView({block: block, inline: 'nearest'})"
BG_JS = "e => getComputedStyle(e).backgroundColor"
OPTIONS_JS = "s => ({labels: [...s.options].map(o => o.textContent), selected: s.selectedIndex})"


# ---------------------------------------------------------------------------- the check
class Checker:
    """Collects named pass/fail checks, timings and whatever else goes into the JSON."""

    def __init__(self) -> None:
        self.result: dict[str, Any] = {"ok": False, "checks": [], "blocked_requests": [], "console_errors": [],
                                       "screenshots": [], "timings_s": {}}
        self.t0 = self.t = time.time()

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.result["checks"].append({"name": name, "ok": bool(ok), "detail": detail})
        log(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        return bool(ok)

    def mark(self, step: str) -> None:
        now = time.time()
        self.result["timings_s"][step] = round(now - self.t, 2)
        self.t = now

    def finish(self) -> dict[str, Any]:
        self.result["timings_s"]["total"] = round(time.time() - self.t0, 2)
        checks = self.result["checks"]
        self.result["ok"] = bool(checks) and all(c["ok"] for c in checks)
        return self.result


def screenshot(page: Any, c: Checker, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    c.result["screenshots"].append(str(path))
    log(f"screenshot {path}")


def new_page(browser: Any, c: Checker, a: argparse.Namespace, allowed: Any) -> Any:
    """A page whose every request that ``allowed(url)`` refuses is aborted and recorded."""
    ctx = browser.new_context(viewport={"width": a.width, "height": a.height})

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:", "about:")) or allowed(url):
            r.continue_()
        else:
            c.result["blocked_requests"].append(url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.set_default_timeout(a.timeout * 1000)
    page.on("console", lambda m: m.type == "error" and c.result["console_errors"].append(m.text[:300]))
    page.on("pageerror", lambda e: c.result["console_errors"].append(
        f"pageerror: {e}; at {' | '.join((getattr(e, 'stack', '') or '').splitlines()[1:3]).strip()}"[:400]))
    return page


def check_live(page: Any, c: Checker, a: argparse.Namespace, out: Path, name: str) -> None:
    """Run all cells in an open notebook page, then checks 1 to 4 (see the module docstring)."""
    from playwright.sync_api import TimeoutError as PWTimeout
    from playwright.sync_api import expect

    page.wait_for_selector(".jp-Notebook .jp-Cell", state="visible")
    page.wait_for_function(KERNEL_IDLE_JS, polling=250)
    c.mark("page_ready_kernel_idle")

    page.evaluate(MARK_BUSY_JS)
    run = page.evaluate(RUN_ALL_JS, a.timeout * 1000)
    c.check("run-all command resolved", not run["error"], run["error"] or "")
    c.result["run_all_resolved"] = run["result"]
    page.wait_for_function(RUN_DONE_JS, polling=250)
    c.check("kernel went busy, then idle with no [*] prompt", True)
    try:  # see SETTLED_JS; a cell that never runs is reported by "every code cell ran" below
        page.wait_for_function(SETTLED_JS, polling=250, timeout=30000)
        page.wait_for_timeout(500)
        page.wait_for_function(SETTLED_JS, polling=250, timeout=30000)
    except PWTimeout:
        log("note: not every code cell got an execution count within 30 s")
    c.mark("run_all")

    # ---- (4) errors only where expected, every code cell ran, the exception type is shown
    cells = page.evaluate(CELLS_JS)
    c.result["cells"] = cells
    unexpected = [f"cell {x['index']}: {e['ename']}: {e['evalue']}" for x in cells if not x["raises"]
                  for e in x["errors"]]
    c.check("no error outputs outside raises-exception cells", not unexpected, "; ".join(unexpected))
    unrun = [x["index"] for x in cells if x["type"] == "code" and x["execution_count"] is None]
    c.check("every code cell ran", not unrun, f"not executed: {unrun}" if unrun else "")
    raising = [x for x in cells if x["raises"]]
    c.check("notebook has raises-exception cells", bool(raising), f"{len(raising)} cells")
    for x in raising:
        enames = [e["ename"] for e in x["errors"]]
        c.check(f"cell {x['index']} raised {EXPECTED_EXCEPTION}", EXPECTED_EXCEPTION in enames, f"errors: {enames}")
        err_out = page.locator(f'[data-ksm-cell="{x["index"]}"] '
                               '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        shown = err_out.filter(has_text=EXPECTED_EXCEPTION)
        visible = False
        if shown.count():
            shown.first.evaluate(SCROLL_JS, "center")
            visible = shown.first.is_visible()
        c.check(f"cell {x['index']} error output shows {EXPECTED_EXCEPTION!r}", visible,
                f"{err_out.count()} error output(s)")

    # ---- the reports are live widgets (not the static fallback, not a widget error)
    reports = page.locator(".ksm-report.ksm-widget:not(.ksm-passed)")
    want = len(raising) or 1
    try:
        page.wait_for_function("n => document.querySelectorAll('.ksm-report.ksm-widget:not(.ksm-passed)').length >= n",
                               arg=want, polling=250, timeout=30000)
    except PWTimeout:
        pass
    outputs = page.evaluate(OUTPUTS_JS)
    c.result["outputs"] = outputs
    c.check("one live report widget per raises-exception cell", reports.count() == want,
            f"{reports.count()} widget report(s), {page.locator('.ksm-report').count()} .ksm-report in all")
    broken = [o["text"] for o in outputs if "Error displaying widget" in o["text"]
              or "model not found" in o["text"] or o["text"].startswith("VBox(")]
    c.check("no widget rendering errors", not broken, "; ".join(broken))
    c.mark("outputs_checked")
    if not reports.count():
        return

    # ---- (1) the offending row is highlighted
    first = reports.first
    first.evaluate(SCROLL_JS, "start")
    off = first.locator("tr.ksm-offending")
    if c.check("first report has one tr.ksm-offending", off.count() == 1, f"count={off.count()}"):
        bg = off.first.evaluate(BG_JS)
        c.result["offending_background"] = bg
        c.check("offending row background", bg == OFFENDING_BG, f"got {bg!r}, want {OFFENDING_BG!r}")
        c.check("offending row visible", off.first.is_visible())

    # ---- (2) picking a row shows its details (kernel round trip)
    select = first.locator(".ksm-picker select")
    details = first.locator(".ksm-details .ksm-details-body > b")
    if c.check("first report has a row picker", select.count() == 1, f"count={select.count()}"):
        opts = select.evaluate(OPTIONS_JS)
        labels, selected = opts["labels"], opts["selected"]
        c.result["picker_options"] = labels
        before = details.first.inner_text() if details.count() else ""
        offending_labels = [row_name(x) for x in labels if x.strip().startswith(">>")]
        c.check("details show the offending row at first", bool(offending_labels) and before == offending_labels[0],
                f"details {before!r}, offending option {offending_labels[:1]}")
        target = next((i for i in range(len(labels)) if i != selected and row_name(labels[i]) != before), None)
        if c.check("picker has another row to pick", target is not None, f"{len(labels)} options"):
            expected = row_name(labels[target])
            t = time.time()
            select.select_option(index=target)
            try:
                expect(details.first).to_have_text(expected, timeout=15000)
                ok = True
            except AssertionError:
                ok = False
            after = details.first.inner_text() if details.count() else ""
            c.check("picking a row updates .ksm-details-body", ok and after != before,
                    f"picked option {target} {labels[target]!r}: details {before!r} -> {after!r} "
                    f"in {time.time() - t:.2f}s")
    first.evaluate(SCROLL_JS, "start")
    page.wait_for_timeout(200)
    screenshot(page, c, out / f"{name}.png")
    c.mark("offending_and_picker")

    # ---- (3) "Show all N rows" shows N rows
    big = reports.filter(has=page.locator(".ksm-show-all"))
    if not c.check("a folded report with a show-all toggle", big.count() >= 1, f"count={big.count()}"):
        return
    big = big.first
    button = big.locator("button.ksm-show-all, .ksm-show-all button").first
    if not button.count():
        button = big.locator(".ksm-show-all").first
    label = button.inner_text().strip()
    m = re.search(r"Show all (\d+) rows", label)
    if not c.check("show-all label says 'Show all N rows'", m is not None, repr(label)):
        return
    total = int(m.group(1))
    rows, folds = big.locator("tr.ksm-row"), big.locator("tr.ksm-fold")
    shown_before, folds_before = rows.count(), folds.count()
    c.check("large report is folded (more than 40 rows, fewer shown, a fold row)",
            total > 40 and shown_before < total and folds_before >= 1,
            f"N={total}, shown={shown_before}, fold rows={folds_before}")
    button.evaluate(SCROLL_JS, "center")
    t = time.time()
    button.click()
    try:
        expect(rows).to_have_count(total, timeout=15000)
    except AssertionError:
        pass
    c.check("show-all shows every row", rows.count() == total,
            f"{rows.count()} tr.ksm-row, want {total}, in {time.time() - t:.2f}s; "
            f"button now {button.inner_text().strip()!r}")
    c.check("no fold rows after show-all", folds.count() == 0, f"count={folds.count()}")
    big_off = big.locator("tr.ksm-offending")
    if c.check("large report has one tr.ksm-offending", big_off.count() == 1, f"count={big_off.count()}"):
        big_off.first.evaluate(SCROLL_JS, "center")
        bg = big_off.first.evaluate(BG_JS)
        c.check("large report offending row background", bg == OFFENDING_BG, f"got {bg!r}")
    page.wait_for_timeout(200)
    screenshot(page, c, out / f"{name}-show-all.png")
    c.mark("show_all")
    check_passing_cell(page, c, out, name)


def check_passing_cell(page: Any, c: Checker, out: Path, name: str) -> None:
    """A %%kerascheck cell that passed: one "checked" line, its warning, and the table behind a toggle."""
    passed = page.locator(".ksm-report.ksm-widget.ksm-passed")
    if not c.check("a passing %%kerascheck cell shows one checked widget", passed.count() == 1,
                   f"count={passed.count()}"):
        return
    widget = passed.first
    widget.evaluate(SCROLL_JS, "center")
    summary = widget.locator(".ksm-summary").first.inner_text()
    c.check("its line says checked and 1 warning", summary.startswith("checked: clf") and "1 warning" in summary,
            repr(summary))
    c.check("its warning names the row", "head" in widget.locator(".ksm-warnings").first.inner_text(),
            widget.locator(".ksm-warnings").first.inner_text()[:200])
    c.check("the warned row is marked in the table", widget.locator("tr.ksm-warning").count() == 1,
            f"count={widget.locator('tr.ksm-warning').count()}")
    page.wait_for_timeout(200)
    screenshot(page, c, out / f"{name}-passing.png")


def check_html(page: Any, c: Checker, a: argparse.Namespace, out: Path, name: str) -> None:
    """The static report of an exported HTML file: offending row present and highlighted."""
    page.wait_for_selector(".ksm-report", state="attached")
    reports = page.locator(".ksm-report")
    c.check("static .ksm-report present", reports.count() >= 1, f"count={reports.count()}")
    off = page.locator(".ksm-report tr.ksm-offending")
    if c.check("tr.ksm-offending inside a .ksm-report", off.count() >= 1, f"count={off.count()}"):
        off.first.evaluate(SCROLL_JS, "center")
        bg = off.first.evaluate(BG_JS)
        c.result["offending_background"] = bg
        c.check("offending row background is not transparent", bg not in TRANSPARENT, f"got {bg!r}")
        c.check("offending row visible", off.first.is_visible())
    text = page.locator("body").inner_text()
    c.check(f"{EXPECTED_EXCEPTION!r} shown", EXPECTED_EXCEPTION in text)
    c.check("no widget text repr instead of the report", "VBox(children" not in text)
    reports.first.evaluate(SCROLL_JS, "start")
    screenshot(page, c, out / f"{name}.png")
    c.mark("html_checked")


def run_check(a: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    c = Checker()
    target = Path(a.target).resolve()
    out = Path(a.out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    name = a.name or DEFAULT_NAMES[a.ui]
    c.result.update(ui=a.ui, target=str(target), screenshot_dir=str(out))
    work = Path(tempfile.mkdtemp(prefix="ksm-browser-"))
    server: JupyterServer | None = None
    try:
        if a.ui != "html":
            (work / "notebooks").mkdir()
            copy = work / "notebooks" / target.name  # Lab autosaves: never touch the original
            shutil.copy(target, copy)
            server = JupyterServer(work, a.ui, Path(a.server_log or (work / "server.log")).resolve(), a.theme)
            c.result["server_log"] = str(server.log_path)
            server.start(timeout=a.timeout)
            c.mark("server_start")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=a.chromium, headless=True, args=CHROMIUM_ARGS)
            page = None
            try:
                if a.ui == "html":
                    page = new_page(browser, c, a, lambda url: url.startswith("file:"))
                    c.mark("browser_launch")
                    page.goto(target.as_uri(), wait_until="domcontentloaded")
                    check_html(page, c, a, out, name)
                else:
                    assert server is not None

                    def loopback(url: str) -> bool:
                        return (urlparse(url).hostname or "") in LOOPBACK

                    page = new_page(browser, c, a, loopback)
                    c.mark("browser_launch")
                    path = ("/lab/tree/" if a.ui == "lab" else "/notebooks/") + quote(target.name)
                    page.goto(server.base + path, wait_until="domcontentloaded")
                    server.remember_kernels()
                    check_live(page, c, a, out, name)
            except Exception as e:  # any failure inside the browser is a failed check
                c.check("no exception in the browser check", False, f"{type(e).__name__}: {e}"[:800])
                if page is not None:
                    try:
                        c.result.setdefault("outputs", page.evaluate(OUTPUTS_JS) if a.ui != "html" else [])
                    except Exception:
                        pass
                    try:
                        screenshot(page, c, out / f"{name}-failure.png")
                    except Exception as e2:
                        log(f"could not take a failure screenshot: {e2}")
            finally:
                browser.close()
    except Exception as e:  # server or browser start failures are failures too
        c.check("server/browser set-up", False, f"{type(e).__name__}: {e}"[:800])
    finally:
        if server is not None:
            server.stop()
            c.mark("shutdown")
            if a.server_log is None and server.log_path.exists():
                c.result["server_log_tail"] = server.log_path.read_text(errors="replace")[-3000:]
        if a.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return c.finish()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target", help="the notebook (--ui lab/notebook) or the exported HTML file (--ui html)")
    ap.add_argument("--ui", choices=["lab", "notebook", "html"], default="lab")
    ap.add_argument("--out-dir", default="artifacts/screenshots", help="where the screenshots go")
    ap.add_argument("--theme", choices=["light", "dark"], default="light", help="JupyterLab theme")
    ap.add_argument("--name", help="screenshot base name (default: lab, notebook7, exported-html)")
    ap.add_argument("--json", help="write the result JSON here")
    ap.add_argument("--server-log", help="the Jupyter server's log (default: a temp file, tail in the JSON)")
    ap.add_argument("--timeout", type=float, default=90, help="seconds per wait")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--chromium", help="browser binary (default: $CHROMIUM or /usr/bin/chromium)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary Jupyter folder")
    a = ap.parse_args(argv)
    if not Path(a.target).is_file():
        print(f"no such file: {a.target}", file=sys.stderr)
        return 2
    a.chromium = find_chromium(a.chromium)
    if not a.chromium:
        print("chromium not found: apt-get install -y chromium (or pass --chromium / set CHROMIUM)", file=sys.stderr)
        return 2
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("python package 'playwright' missing: pip install playwright (never 'playwright install')",
              file=sys.stderr)
        return 2
    res = run_check(a)
    text = json.dumps(res, indent=2)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(text)
    print(text)
    return 0 if res["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
