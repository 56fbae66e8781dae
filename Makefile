# Every target sets itself up: a fresh clone needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install generate update-spec check diff test lint clean prism contract bench vendor verify

install: $(STAMP)

# Reinstall when the pinned lock changes; the stamp makes repeated runs free.
$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

# Prism (tests/contract), pinned in tools/prism/package-lock.json; scripts off (no telemetry, no
# downloads at install time). Without npm the Prism tests skip; the stamp is then not written.
PRISM_STAMP := tools/prism/node_modules/.installed

prism: $(PRISM_STAMP)

$(PRISM_STAMP): tools/prism/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tools/prism && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the Prism contract tests will be skipped"; fi

generate: $(STAMP)
	$(PY) -m generator generate

# URL=https://... (or a file): download, validate, generate in memory, then replace spec/ + spec.lock.
update-spec: $(STAMP)
	@test -n "$(URL)" || { echo "usage: make update-spec URL=https://docs.norce.io/api-reference/nco/openapi/order"; exit 2; }
	$(PY) -m generator update-spec "$(URL)"

check: $(STAMP)
	$(PY) -m generator check

# Spec diff for review: `make diff` = spec at git HEAD vs the working copy;
# `make diff BASE=<rev|file>`, `make diff DIFF_ARGS="--format json --fail-on breaking"`.
BASE ?= HEAD
SPEC ?= spec/norce-checkout-order.yaml
diff: $(STAMP)
	$(PY) -m generator diff $(BASE) $(SPEC) $(DIFF_ARGS)

# Vendor into another repo: `make vendor DEST=../acme/src/acme PACKAGE=norce_order` (DEST/PACKAGE is written);
# `make verify COPY=../acme/src/acme/norce_order` checks a copy against its MANIFEST.json and the spec.
vendor: $(STAMP)
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=path/to/parent [PACKAGE=name] [VENDOR_ARGS=--force]"; exit 2; }
	$(PY) -m generator vendor "$(DEST)" $(if $(PACKAGE),--package "$(PACKAGE)") $(VENDOR_ARGS)

verify: $(STAMP)
	@test -n "$(COPY)" || { echo "usage: make verify COPY=path/to/parent/package"; exit 2; }
	$(PY) -m generator verify "$(COPY)" --spec $(SPEC)

lint: $(STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m mypy --strict generator
	cd generated && ../$(PY) -m mypy --strict -p norce_checkout_order

# The suite includes `check` (generated/ is what generate writes) and mypy --strict on generated/.
test: $(STAMP) $(PRISM_STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m mypy --strict generator
	$(PY) -m pytest -q

contract: $(STAMP) $(PRISM_STAMP)
	$(PY) -m pytest -q tests/contract

# Generation/no-op/import timings against peers (installs openapi-python-client under bench/.venvs/).
bench: $(STAMP)
	$(PY) bench/run.py
	@if [ -f bench/bench_overhead.py ]; then $(PY) bench/bench_overhead.py; fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
