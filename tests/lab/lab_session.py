"""A real JupyterLab for the learner's-path tests and the latency benchmark, driven by headless Chromium.

:class:`LabServer` starts ``jupyter lab`` from this environment on 127.0.0.1 (a free port, a random token)
over a temporary copy of the notebooks, so that running cells and any save never touch the repository.
Its settings and workspace live in the same temporary folder: the learner's own JupyterLab settings do not
leak in, news and update checks are off (nothing is requested from outside 127.0.0.1), autosave is off,
and the test can choose the notebook's windowing mode.

The page helpers below work on a Playwright page showing one notebook: run all cells, read what the
learner sees, find raw MyST markup left in the rendered text, and time a widget's figure while a
slider is dragged (:data:`FIGURE_WATCH_JS`). Chromium is Debian's /usr/bin/chromium (no browser download).

Used by tests/lab/ (``make lab-test``) and benchmarks/bench_lab.py.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"
CHROMIUM = Path("/usr/bin/chromium")
# The same flags as the book's browser tests (tests/browser/book_site.py).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chapter_notebooks() -> list[Path]:
    """Every chapter notebook, in reading order."""
    return sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


class LabServer:
    """``jupyter lab`` on 127.0.0.1 over a temporary copy of some notebooks; a context manager.

    Parameters
    ----------
    notebooks : iterable of Path
        Notebooks copied into the server's root folder (the repository's files are never opened).
    extra_files : dict[str, str], optional
        More files to create in the root folder, name → text (e.g. generated notebooks).
    windowing : str, optional
        JupyterLab's notebook ``windowingMode``: ``"none"`` attaches every cell to the page (the tests
        read every cell); None keeps JupyterLab's default (what a learner has).
    disabled_extensions : iterable of str
        JupyterLab extensions to switch off (e.g. ``"jupyterlab-myst"``, to see what a learner without it sees).
    """

    def __init__(self, notebooks=(), *, extra_files: dict | None = None, windowing: str | None = None,
                 disabled_extensions=(), startup_timeout: float = 90.0):
        self.disabled_extensions = list(disabled_extensions)
        self.notebooks = [Path(p) for p in notebooks]
        self.extra_files = dict(extra_files or {})
        self.windowing = windowing
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(16)
        self.port = None
        self.process = None
        self.home = None
        self.log_path = None

    # -- lifetime ------------------------------------------------------------------------------
    def __enter__(self) -> LabServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def root(self) -> Path:
        return self.home / "root"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, name: str) -> str:
        """The address that opens ``name`` (a file in the root folder) in JupyterLab, alone in a fresh workspace."""
        return f"{self.base_url}/lab/tree/{name}?reset&token={self.token}"

    def _settings(self) -> dict:
        settings = {
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False},
            "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        }
        if self.windowing is not None:
            settings["@jupyterlab/notebook-extension/tracker.jupyterlab-settings"] = {
                "windowingMode": self.windowing}
        return settings

    def start(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="nnmath-lab-"))
        self.root.mkdir()
        for notebook in self.notebooks:
            shutil.copy2(notebook, self.root / notebook.name)
        for name, text in self.extra_files.items():
            (self.root / name).write_text(text, encoding="utf-8")
        for rel, data in self._settings().items():
            _write_json(self.home / "settings" / rel, data)
        if self.disabled_extensions:
            _write_json(self.home / "config" / "labconfig" / "page_config.json",
                        {"disabledExtensions": {name: True for name in self.disabled_extensions}})
        self.port = _free_port()
        env = dict(os.environ)
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.home / "config"),
            "JUPYTER_DATA_DIR": str(self.home / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(self.home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
            "IPYTHONDIR": str(self.home / "ipython"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            # as `make lab`: the kernel-free HTML version of a widget is only for the built book
            "NNMATH_STATIC_HTML": "0",
        })
        args = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp: the tests run JupyterLab's own commands (Run All) and read its cell models
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        self.log_path = self.home / "server.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env, cwd=self.root, start_new_session=True)
        log.close()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        request = urllib.request.Request(f"{self.base_url}/api/status",
                                         headers={"Authorization": f"token {self.token}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {self.startup_timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        """The server's output so far (for error messages)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        """Stop the server and its kernels (its own process group only), then remove the temporary folder."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self.process is not None:
            # kernels run in the server's process group: end any that outlived it
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)


# -- the browser -------------------------------------------------------------------------------------

def launch_chromium(playwright):
    """Debian's Chromium, headless (a clear error when it is missing; never a download)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"Chromium is missing: {CHROMIUM} not found. Install Debian's package "
                                "(`apt-get install chromium`); these checks never download a browser.")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


@dataclass
class PageLog:
    """What a page reported: console errors, uncaught exceptions and requests to other hosts."""

    errors: list
    external: list


def watch_page(page, base_url: str) -> PageLog:
    """Record console errors and uncaught exceptions; block (and record) every request off 127.0.0.1."""
    log = PageLog(errors=[], external=[])
    page.on("console", lambda m: log.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"exception: {e}"))

    def route(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            log.external.append(url)
            route.abort()

    page.route("**/*", route)
    return log


def open_notebook(page, server: LabServer, name: str, timeout: float = 90.0) -> None:
    """Open a notebook and wait until its kernel is idle and every markdown cell is rendered."""
    page.goto(server.url(name), wait_until="domcontentloaded", timeout=timeout * 1e3)
    page.wait_for_function(
        """(name) => {
            const app = window.jupyterapp;
            const panel = app && app.shell.currentWidget;
            if (!panel || !panel.sessionContext || !panel.content) return false;
            const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
            return panel.context.path === name && panel.context.isReady && kernel
                && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
        }""",
        arg=name, timeout=timeout * 1e3, polling=200)
    wait_markdown_rendered(page, timeout)


def wait_markdown_rendered(page, timeout: float = 60.0) -> None:
    """Wait until every markdown cell attached to the page is rendered and the rendering has settled.

    jupyterlab-myst renders asynchronously after JupyterLab marks a cell rendered, so this also waits until
    the rendered markup has stopped changing for a second.
    """
    page.wait_for_function(
        """() => {
            const cells = [...document.querySelectorAll('.jp-Notebook .jp-MarkdownCell')];
            if (!cells.length || !cells.every(c => c.classList.contains('jp-mod-rendered'))) return false;
            const size = cells.reduce((n, c) => n + c.innerHTML.length, 0);
            const now = performance.now();
            const last = window.__nnmathMarkdownSize;
            if (!last || last.size !== size) { window.__nnmathMarkdownSize = {size, since: now}; return false; }
            return now - last.since > 1000;
        }""",
        timeout=timeout * 1e3, polling=200)
    page.evaluate("() => { delete window.__nnmathMarkdownSize; }")


def run_all(page, timeout: float = 300.0) -> None:
    """Run all cells with JupyterLab's own command (Run ▸ Run All Cells) and wait until it is done."""
    page.evaluate("() => { window.__nnmathRunAll = window.jupyterapp.commands.execute('notebook:run-all-cells')"
                  ".then(() => 'done', e => 'failed: ' + e); }")
    page.wait_for_function(
        """async () => {
            if (!window.__nnmathRunAllResult) {
                window.__nnmathRunAll.then(r => { window.__nnmathRunAllResult = r; });
                return false;
            }
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            return kernel.status === 'idle';
        }""",
        timeout=timeout * 1e3, polling=250)
    result = page.evaluate("() => window.__nnmathRunAllResult")
    page.evaluate("() => { delete window.__nnmathRunAll; delete window.__nnmathRunAllResult; }")
    if result != "done":
        raise AssertionError(f"Run All did not complete: {result}")


def error_outputs(page) -> list[str]:
    """Errors the learner would see in the current notebook: error and stderr outputs, broken widgets."""
    return page.evaluate(
        """() => {
            const found = [];
            const panel = window.jupyterapp.shell.currentWidget;
            panel.content.widgets.forEach((cell, i) => {
                if (cell.model.type !== 'code') return;
                for (const out of cell.model.outputs.toJSON()) {
                    if (out.output_type === 'error') found.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
                    if (out.output_type === 'stream' && out.name === 'stderr')
                        found.push(`cell ${i}: stderr: ${[].concat(out.text).join('').slice(0, 300)}`);
                }
            });
            for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
                const text = el.innerText || '';
                if (/Error displaying widget|Error rendering|Failed to display/.test(text))
                    found.push('output: ' + text.slice(0, 300));
            }
            return found;
        }""")


# Text that a rendered chapter never shows: MyST and LaTeX syntax left as typed. Code blocks, inline code
# and typeset math are removed before matching (see visible_markdown_text).
RAW_MYST = {
    "directive fence (:::)": re.compile(r":::"),
    "directive fence (```{name})": re.compile(r"```\s*\{"),
    "role or directive name ({name})": re.compile(r"\{[a-zA-Z][\w:.-]*\}"),
    "target label ((label)=)": re.compile(r"(?m)^\s*\([\w:.-]+\)="),
    "directive option (:name:)": re.compile(r"(?m)^\s*:[a-z][\w-]*:(?:\s|$)"),
    "display math delimiter ($$)": re.compile(r"\$\$"),
    "inline math delimiter ($...$)": re.compile(r"\$[^\s$][^$\n]*\$"),
    "LaTeX command (\\name)": re.compile(r"\\[a-zA-Z]{2,}"),
}


def visible_markdown_text(page) -> list[dict]:
    """The text a reader sees in each rendered markdown cell, without code, inline code or typeset math.

    Returns one ``{"index": cell index, "text": ..., "source": the cell's markdown}`` per markdown cell.
    """
    return page.evaluate(
        """() => {
            const panel = window.jupyterapp.shell.currentWidget;
            const out = [];
            panel.content.widgets.forEach((cell, i) => {
                if (cell.model.type !== 'markdown') return;
                const rendered = cell.node.querySelector('.jp-MarkdownOutput, .jp-RenderedMarkdown')
                    || cell.node;
                const copy = rendered.cloneNode(true);
                copy.querySelectorAll('details').forEach(d => { d.open = true; });  // dropdown bodies too
                copy.querySelectorAll('.jp-InputArea-editor, .jp-InputPrompt, .jp-Collapser, pre, code, mjx-container, .MathJax, .MathJax_Preview, '
                    + 'mjx-assistive-mml, .katex, .math, script, style').forEach(e => e.remove());
                // innerText needs layout: measure the copy inside an off-screen container
                const box = document.createElement('div');
                box.style.cssText = 'position:absolute;left:-100000px;top:0;width:900px';
                box.appendChild(copy);
                document.body.appendChild(box);
                const text = copy.innerText;
                box.remove();
                out.push({index: i, text: text, source: cell.model.sharedModel.getSource()});
            });
            return out;
        }""")


def raw_myst(page) -> list[str]:
    """Every piece of raw MyST / LaTeX markup visible in the rendered markdown cells of the notebook,
    and every cross-reference that shows a bare label or file name instead of words."""
    problems = []
    for cell in visible_markdown_text(page):
        if cell["source"].strip() and not cell["text"].strip():
            problems.append(f"markdown cell {cell['index']}: not rendered (no text shown)")
        for what, pattern in RAW_MYST.items():
            for match in pattern.finditer(cell["text"]):
                start = max(0, match.start() - 40)
                context = cell["text"][start:match.end() + 40].replace("\n", " ")
                problems.append(f"markdown cell {cell['index']}: {what}: …{context}…")
    problems += [f"markdown cell {i}: {what}" for i, what in _references(page)["bare"]]
    return problems


def unresolved_citations(page) -> list[str]:
    """The citation keys shown as such: jupyterlab-myst reads no bibliography, so ``{cite}`key``` renders
    as the key (marked "Citation Not Found"); the book's bibliography appendix resolves them."""
    return [key for _, key in _references(page)["citations"]]


def _references(page) -> dict:
    return page.evaluate(
        """() => {
            const bare = [], citations = [];
            const panel = window.jupyterapp.shell.currentWidget;
            panel.content.widgets.forEach((cell, i) => {
                if (cell.model.type !== 'markdown') return;
                for (const el of cell.node.querySelectorAll('[title]')) {
                    const text = (el.textContent || '').trim();
                    if (el.title === 'Citation Not Found') citations.push([i, text]);
                    else if (/not found/i.test(el.title))
                        bare.push([i, `unresolved reference shown as its label: ${text}`]);
                }
                for (const a of cell.node.querySelectorAll('a[href]')) {
                    const text = (a.textContent || '').trim();
                    // a {doc} role without a title shows the document's path as its text
                    if (/^[\\w.\\/-]+$/.test(text) && /[_\\/]/.test(text) && a.href.includes('/files/'))
                        bare.push([i, `link shown as a file name: ${text}`]);
                }
            });
            return {bare, citations};
        }""")


# -- figures that change -----------------------------------------------------------------------------

# Installed in the page: timestamps (performance.now()) every change of a widget figure. A figure is an
# <img> inside a widget's output whose `src` changes (the ipywidgets Image of today's widgets), or a
# `.nnmath-figure` element whose `data-frame` attribute goes up after each frame drawn on its <canvas>.
FIGURE_WATCH_JS = r"""
(root) => {
    const state = {changes: [], observer: null};
    const record = (el) => state.changes.push({t: performance.now(), id: el.dataset.nnmathWatchId || ''});
    let next = 0;
    const tag = (el) => { if (!el.dataset.nnmathWatchId) el.dataset.nnmathWatchId = String(next++); };
    root.querySelectorAll('img, .nnmath-figure').forEach(tag);
    state.observer = new MutationObserver((mutations) => {
        for (const m of mutations) {
            const el = m.target;
            if (m.type === 'attributes') {
                if (el.tagName === 'IMG' && m.attributeName === 'src') { tag(el); record(el); }
                else if (el.classList && el.classList.contains('nnmath-figure') && m.attributeName === 'data-frame') {
                    tag(el); record(el);
                }
            } else if (m.type === 'childList') {
                for (const n of m.addedNodes) {
                    if (n.nodeType !== 1) continue;
                    const imgs = n.tagName === 'IMG' ? [n] : [...n.querySelectorAll('img')];
                    for (const img of imgs) { tag(img); record(img); }
                }
            }
        }
    });
    state.observer.observe(root, {subtree: true, childList: true, attributes: true,
                                  attributeFilter: ['src', 'data-frame']});
    window.__nnmathFigureWatch = state;
    return true;
}
"""


def figure_signature(page, widget_selector: str) -> str:
    """A string that changes when the widget's figure changes (image source, or the canvas frame count)."""
    return page.evaluate(
        """(sel) => {
            const root = document.querySelector(sel);
            if (!root) return '';
            const figs = [...root.querySelectorAll('.nnmath-figure')];
            if (figs.length) return figs.map(f => 'frame:' + (f.dataset.frame || '')).join('|');
            return [...root.querySelectorAll('img')].map(i => i.src.length + ':' + i.src.slice(-64)).join('|');
        }""", widget_selector)
