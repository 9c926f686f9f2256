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
sys.path.insert(0, str(ROOT / "tools"))
# The same browser and flags as the book's browser tests and `make pdf`.
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (tools/ is not a package)


def chapter_notebooks() -> list[Path]:
    """Every chapter notebook, in reading order."""
    return sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _end_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the server gets SIGTERM if the process that started it dies (then it shuts its kernels down)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


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
            # the kernel-free HTML version of a widget belongs to the book's build only
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
                                        env=env, cwd=self.root, start_new_session=True,
                                        preexec_fn=_end_with_parent if sys.platform == "linux" else None)
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

    def _api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.base_url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every kernel of the server (between notebooks: each open notebook starts one)."""
        for kernel in self._api("GET", "kernels"):
            try:
                self._api("DELETE", f"kernels/{kernel['id']}")
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise

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
    """Record console errors and uncaught exceptions; block (and record) every request that goes anywhere
    but the JupyterLab at ``base_url`` (kernel websockets are not requests and pass)."""
    log = PageLog(errors=[], external=[])
    page.on("console", lambda m: log.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"exception: {e}"))

    def route(route):
        url = route.request.url
        if url.startswith((base_url.rstrip("/") + "/", "data:", "blob:")):
            route.continue_()
        else:
            log.external.append(url)
            route.abort()

    page.route("**/*", route)
    return log


def open_notebook(page, server: LabServer, name: str, *, wait_kernel: bool = True, timeout: float = 90.0) -> None:
    """Open a notebook and wait until every markdown cell is rendered (and its kernel is idle).

    The first call loads JupyterLab in the page (a fresh workspace); later calls on the same page open the
    notebook with JupyterLab's own command (File ▸ Open), closing the notebooks opened before.
    """
    loaded = page.url.startswith(server.base_url) and page.evaluate("() => !!window.jupyterapp")
    if loaded:
        page.evaluate(
            """async (name) => {
                const app = window.jupyterapp;
                for (const w of [...app.shell.widgets('main')]) {
                    if (w.context) await w.context.sessionContext.shutdown();
                    w.dispose();
                }
                await app.commands.execute('docmanager:open', {path: name});
            }""", name)
    else:
        page.goto(server.url(name), wait_until="domcontentloaded", timeout=timeout * 1e3)
    page.wait_for_function(
        """([name, waitKernel]) => {
            const app = window.jupyterapp;
            const panel = app && app.shell.currentWidget;
            if (!panel || !panel.sessionContext || !panel.content) return false;
            if (panel.context.path !== name || !panel.context.isReady) return false;
            if (!waitKernel) return true;
            const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
            return kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
        }""",
        arg=[name, wait_kernel], timeout=timeout * 1e3, polling=200)
    wait_markdown_rendered(page, timeout)


def wait_markdown_rendered(page, timeout: float = 60.0) -> None:
    """Wait until every markdown cell attached to the page is rendered and the rendering has settled.

    jupyterlab-myst renders asynchronously after JupyterLab marks a cell rendered, so this also waits until
    the rendered markup has stopped changing for a second.
    """
    page.wait_for_function(
        """() => {
            if (!document.querySelector('.jp-Notebook .jp-Cell')) return false;
            const cells = [...document.querySelectorAll('.jp-Notebook .jp-MarkdownCell')];
            if (!cells.every(c => c.classList.contains('jp-mod-rendered'))) return false;
            // every cell with some markdown shows some rendered text (jupyterlab-myst's or JupyterLab's own)
            const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            if (panel && panel.content) {
                for (const cell of panel.content.widgets) {
                    if (cell.model.type !== 'markdown' || !cell.node.isConnected) continue;  // detached: windowed
                    if (!cell.model.sharedModel.getSource().trim()) continue;
                    const out = cell.node.querySelector('.myst, .jp-RenderedMarkdown, .jp-MarkdownOutput');
                    if (!out || !out.textContent.trim()) return false;
                }
            }
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
        """() => {
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
                copy.querySelectorAll('.jp-InputArea-editor, .jp-InputPrompt, .jp-Collapser, pre, code, '
                    + 'mjx-container, .MathJax, .MathJax_Preview, mjx-assistive-mml, .katex, .math, '
                    + 'script, style').forEach(e => e.remove());
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


# -- widgets, sliders and figures that change -------------------------------------------------------

def widget_cell_output(page, cell_index: int, timeout: float = 60.0) -> str:
    """Scroll code cell ``cell_index`` into view, wait for its widget, and return a selector for its output.

    A widget is there when the output holds a slider (ipywidgets' ``.widget-slider`` or an
    ``<input type="range">``) and a figure (an ``<img>`` or a ``.nnmath-figure``).
    """
    selector = f'[data-nnmath-output="{cell_index}"]'
    page.evaluate(
        """(i) => {
            const panel = window.jupyterapp.shell.currentWidget;
            const cell = panel.content.widgets[i];
            panel.content.scrollToItem(i, 'start');
            cell.node.scrollIntoView({block: 'start'});
            const out = cell.node.querySelector('.jp-Cell-outputArea') || cell.node;
            out.setAttribute('data-nnmath-output', String(i));
        }""", cell_index)
    page.wait_for_function(
        """(sel) => {
            const root = document.querySelector(sel);
            if (!root) return false;
            const slider = root.querySelector('.widget-slider .noUi-handle, input[type=range]');
            const figure = root.querySelector('.nnmath-figure, img');
            return !!(slider && figure && (figure.tagName !== 'IMG' || (figure.complete && figure.naturalWidth)));
        }""", arg=selector, timeout=timeout * 1e3, polling=200)
    return selector


def find_slider(page, root: str, label: str | None = None) -> dict:
    """The first slider inside ``root`` (or the first whose label contains ``label``), marked for Playwright.

    Returns ``{"selector": the draggable handle, "label": ..., "track": {x, width}, "position": the handle's
    place on the track, 0 (left) to 1 (right)}``. Supports ipywidgets'
    sliders (a noUiSlider handle inside ``.widget-slider``) and plain ``<input type="range">`` elements.
    """
    found = page.evaluate(
        """([rootSel, wanted]) => {
            const root = document.querySelector(rootSel);
            const items = [];
            for (const el of root.querySelectorAll('.widget-slider, input[type=range]')) {
                if (el.matches('input[type=range]')) {
                    const lab = (el.labels && el.labels[0] && el.labels[0].textContent)
                        || el.getAttribute('aria-label') || el.title
                        || (el.parentElement && el.parentElement.textContent) || '';
                    items.push({handle: el, track: el, label: lab.trim()});
                } else {
                    const handle = el.querySelector('.noUi-handle');
                    const track = el.querySelector('.noUi-base') || el;
                    const lab = (el.querySelector('.widget-label') || {}).textContent || '';
                    if (handle) items.push({handle, track, label: lab.trim()});
                }
            }
            const pick = wanted ? items.find(it => it.label.includes(wanted)) : items[0];
            if (!pick) return null;
            document.querySelectorAll('[data-nnmath-slider]').forEach(e => e.removeAttribute('data-nnmath-slider'));
            pick.handle.setAttribute('data-nnmath-slider', '1');
            const box = pick.track.getBoundingClientRect();
            let position;
            if (pick.handle.matches('input[type=range]')) {
                const lo = Number(pick.handle.min || 0), hi = Number(pick.handle.max || 100);
                position = hi > lo ? (Number(pick.handle.value) - lo) / (hi - lo) : 0.5;
            } else {
                const h = pick.handle.getBoundingClientRect();
                position = box.width ? (h.x + h.width / 2 - box.x) / box.width : 0.5;
            }
            return {label: pick.label, track: {x: box.x, width: box.width}, position,
                    range: pick.handle.matches('input[type=range]')};
        }""", [root, label])
    if found is None:
        raise AssertionError(f"no slider{' labelled ' + repr(label) if label else ''} in {root}")
    found["selector"] = "[data-nnmath-slider='1']"
    return found


# Installed in the page by watch_figure(): timestamps (performance.now()) of every change of the widget's
# figure and of the mouse. A figure change is a new picture in an <img> inside the output (the ipywidgets
# Image of today's widgets: its `src` changes, then it loads), or a `data-frame` attribute that goes up on
# a `.nnmath-figure` element after each frame drawn on its <canvas>.
FIGURE_WATCH_JS = r"""
(rootSel) => {
    const root = document.querySelector(rootSel);
    const old = window.__nnmathWatch;
    if (old) { old.observer.disconnect(); old.dispose(); }
    const state = {frames: [], srcs: [], values: [], moves: [], downs: [], ups: []};
    const now = () => performance.now();
    state.observer = new MutationObserver((mutations) => {
        for (const m of mutations) {
            const el = m.target;
            if (m.type === 'attributes' && el.tagName === 'IMG' && m.attributeName === 'src') state.srcs.push(now());
            if (m.type === 'attributes' && m.attributeName === 'data-frame' && el.classList.contains('nnmath-figure'))
                state.frames.push(now());
            // an ipywidgets slider shows each new value in its readout
            const node = el.nodeType === 1 ? el : el.parentElement;
            const readout = node && node.closest && node.closest('.widget-readout');
            if (readout && readout.textContent !== readout.__nnmathLast) {
                readout.__nnmathLast = readout.textContent;
                state.values.push(now());
            }
            if (m.type === 'childList')
                for (const n of m.addedNodes)
                    if (n.nodeType === 1 && (n.tagName === 'IMG' || n.querySelector('img'))) state.srcs.push(now());
        }
    });
    state.observer.observe(root, {subtree: true, childList: true, attributes: true, characterData: true,
                                  attributeFilter: ['src', 'data-frame']});
    // an <input type=range> fires 'input' on each new value
    const onInput = (e) => { if (e.target.matches && e.target.matches('input[type=range]')) state.values.push(now()); };
    root.addEventListener('input', onInput, true);
    // an <img> shows its new picture once it has loaded it
    const onLoad = (e) => { if (e.target.tagName === 'IMG') state.frames.push(now()); };
    const onMove = () => state.moves.push(now());
    const onDown = () => state.downs.push(now());
    const onUp = () => state.ups.push(now());
    root.addEventListener('load', onLoad, true);
    document.addEventListener('pointermove', onMove, true);
    document.addEventListener('pointerdown', onDown, true);
    document.addEventListener('pointerup', onUp, true);
    state.dispose = () => {
        root.removeEventListener('load', onLoad, true);
        root.removeEventListener('input', onInput, true);
        document.removeEventListener('pointermove', onMove, true);
        document.removeEventListener('pointerdown', onDown, true);
        document.removeEventListener('pointerup', onUp, true);
    };
    window.__nnmathWatch = state;
    return true;
}
"""


def watch_figure(page, root: str) -> None:
    """Start timestamping the figure changes inside ``root`` and the mouse events (see FIGURE_WATCH_JS)."""
    page.evaluate(FIGURE_WATCH_JS, root)


def watched(page, clear: bool = False) -> dict:
    """The timestamps recorded so far (ms, performance.now()); ``clear`` empties the lists."""
    return page.evaluate(
        """(clear) => {
            const s = window.__nnmathWatch;
            const keys = ['frames', 'srcs', 'values', 'moves', 'downs', 'ups'];
            const out = {now: performance.now()};
            for (const k of keys) out[k] = [...s[k]];
            if (clear) for (const k of keys) s[k].length = 0;
            return out;
        }""", clear)


def figure_signature(page, root: str) -> str:
    """A string that changes when the figure inside ``root`` changes (picture source, or frame count)."""
    return page.evaluate(
        """(sel) => {
            const root = document.querySelector(sel);
            if (!root) return '';
            const figs = [...root.querySelectorAll('.nnmath-figure')];
            if (figs.length) return figs.map(f => 'frame:' + (f.dataset.frame || '')).join('|');
            return [...root.querySelectorAll('img')].map(i => i.src).join('|');
        }""", root)


def drag(page, slider: dict, fraction: float, *, duration: float = 0.5, rate: float = 60.0) -> None:
    """Drag the slider's handle with the mouse by ``fraction`` of its track, in moves at ``rate`` Hz.

    Mouse down on the handle's centre, one ``mouse.move`` per 1/rate s (as a hand does), mouse up at the end.
    """
    box = page.locator(slider["selector"]).bounding_box()
    x0, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    dx = fraction * slider["track"]["width"]
    steps = max(1, round(duration * rate))
    page.mouse.move(x0, y)
    page.mouse.down()
    start = time.perf_counter()
    for k in range(1, steps + 1):
        page.mouse.move(x0 + dx * k / steps, y)
        delay = start + k / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    page.mouse.up()


def wait_quiet(page, quiet_ms: float = 1500.0, timeout: float = 30.0) -> dict:
    """Wait until the figure has not changed for ``quiet_ms``; returns the recorded timestamps."""
    deadline = time.monotonic() + timeout
    while True:
        rec = watched(page)
        last = max(rec["frames"] + rec["srcs"] + rec["values"] + rec["ups"] + [0.0])
        if rec["now"] - last >= quiet_ms or time.monotonic() > deadline:
            return rec
        time.sleep(0.1)


@dataclass
class DragTiming:
    """One drag, in ms. ``first_frame``: from the first mouse move that changed the slider's value to the
    first new frame of the figure; ``settle``: from the release to the last new frame (0 when the figure
    was done before the release); ``frames``: new frames shown; ``values``: slider values the hand passed."""

    first_frame: float
    settle: float
    frames: int
    values: int


def measure_drag(page, slider: dict, fraction: float, *, duration: float = 0.5, rate: float = 60.0,
                 quiet_ms: float = 1500.0) -> DragTiming:
    """Drag once (see drag) and time the figure (needs watch_figure first). NaN when no frame came."""
    watched(page, clear=True)
    drag(page, slider, fraction, duration=duration, rate=rate)
    rec = wait_quiet(page, quiet_ms)
    downs, ups = rec["downs"], rec["ups"]
    if not downs or not ups:
        raise AssertionError("the page saw no mouse press or release during the drag")
    values = sorted(t for t in rec["values"] if t >= downs[0])
    # the move that first changed the value (a slider that reports no values: the first move)
    moves = [t for t in rec["moves"] if t > downs[0]]
    start = values[0] if values else (moves[0] if moves else downs[0])
    release = ups[-1]
    frames = sorted(t for t in rec["frames"] if t >= start)
    if not frames:
        return DragTiming(float("nan"), float("nan"), 0, len(values))
    return DragTiming(frames[0] - start, max(0.0, frames[-1] - release), len(frames), len(values))
