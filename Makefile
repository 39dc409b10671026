# Keel: two commands matter. `make run` starts the whole stack; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest workers for `make test`: one per core of the 2-core reference machine (each starts its own services)
TEST_WORKERS ?= 2

.PHONY: run test test-quick lint bench bench-quick install clean browser clients

# Keel with its development tools, and the Python client (clients/python) that its tests drive,
# generated from the committed clients/openapi.json (the generated code is not committed).
$(STAMP): pyproject.toml clients/python/pyproject.toml clients/openapi.json
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/keel clients --install >/dev/null
	$(BIN)/pip install --quiet -e clients/python
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/keel up

# $(TEST_WORKERS) pytest workers (each starts its own PostgreSQL, Temporal and Typesense; a test file
# stays on one worker, so its module fixtures start once). The slowest tests are listed at the end,
# so a run that grows slower says where. A worker that crashes is not replaced: its test fails and the
# other worker runs what is left (xdist's replacement of a crashed worker under --dist loadfile can
# leave the run waiting forever).
test: $(STAMP) browser
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile --max-worker-restart=0 --durations=15

# The browser tests drive Debian's chromium and chromedriver: installed with apt-get, as root, only
# when missing. Without root or apt-get nothing is installed and tests/browser says so when it skips.
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver >/dev/null; } || echo "chromium could not be installed; the browser tests will skip"

# The fast loop: domain and workflow tests only (no HTTP server, no dev server).
test-quick: $(STAMP)
	$(BIN)/pytest -q tests/domain tests/workflows

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Every benchmark, then one table of the figures beside their same-run baselines (README and
# benchmarks/results.json); bench-quick: four of them at small sizes, under 3 minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

# Regenerates clients/openapi.json and the Python client from the app (no server needed), then the
# TypeScript client where Node is installed. A test fails while the committed ones no longer match.
clients: $(STAMP)
	$(BIN)/keel clients
	@if command -v npm >/dev/null 2>&1 && [ -f clients/typescript/package.json ]; then \
		[ -d clients/typescript/node_modules ] || npm --prefix clients/typescript ci --no-audit --no-fund; \
		npm --prefix clients/typescript run generate; \
	else echo "node/npm missing: the TypeScript client was not regenerated"; fi

clean:
	rm -rf $(VENV) .keel .pytest_cache .mypy_cache .ruff_cache
