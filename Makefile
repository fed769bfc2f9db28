# Two commands on a fresh machine: `make demo` and `make test`. Both install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB := tesseract-ocr tesseract-ocr-vie
DEB_TEST := chromium fonts-dejavu-core

.PHONY: demo test bench lint format golden devset robustness fixtures system system-test venv clean notebook

system:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then \
		echo "installing Debian packages: $(DEB)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB) >/dev/null; \
	fi

system-test: system
	@if ! command -v chromium >/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]; then \
		echo "installing Debian packages: $(DEB_TEST) (the audit report is checked in a headless browser; fax scans are typeset in DejaVu Serif)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB_TEST) >/dev/null; \
	fi

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,nlp,dask]'
	touch $(STAMP)

venv: $(STAMP)

demo: system venv
	rm -rf out/demo
	$(BIN)/kehoach run data/samples out/demo --format csv --format parquet --format duckdb --format xlsx
	$(BIN)/kehoach summary out/demo
	$(BIN)/kehoach compare out/demo
	$(BIN)/kehoach audit out/demo
	@echo "Open out/demo/compare.html and out/demo/audit.html in a browser, or review the run: $(BIN)/kehoach serve out/demo"

test: system-test venv
	$(BIN)/python -m pytest -q

bench: system venv
	$(BIN)/kehoach bench

lint: venv
	$(BIN)/ruff check pipeline tests --select E,F,W --ignore E501

format: venv
	$(BIN)/ruff format --diff pipeline tests || true

golden: venv
	rm -rf out/golden
	$(BIN)/kehoach run tests/fixtures/text out/golden -j 1
	$(BIN)/kehoach eval out/golden --gold tests/fixtures/gold --misses

devset: venv
	rm -rf out/devset
	$(BIN)/kehoach run tests/fixtures/devset/docs out/devset --format csv
	$(BIN)/kehoach eval out/devset --gold tests/fixtures/devset/gold --misses

robustness: venv
	$(BIN)/kehoach robustness

fixtures: venv
	$(BIN)/python tools/fixture_report.py ../shared out/fixtures

clean:
	rm -rf out $(VENV)

# run the notebook on the bundled samples and store its outputs (tables, plots) in it
notebook: venv
	MPLBACKEND=Agg $(BIN)/python -m pipeline.present.notebook notebooks/compare_and_audit.ipynb
