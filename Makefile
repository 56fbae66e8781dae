# Every target sets itself up: a fresh clone needs Python >= 3.11, make and registry access (PyPI;
# npm for the contract tests). See "Requirements" in README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/norce-codegen
STAMP := $(VENV)/.installed

.PHONY: install generate update-spec check diff test lint clean prism contract bench vendor verify

install: $(STAMP)

# Reinstall when the pinned lock or the project's metadata changes; the stamp makes repeated runs
# free. The project itself is installed editable (no build isolation: setuptools comes from the
# lock), which puts the `norce-codegen` console script into .venv/bin.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "norce-codegen needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1)." \
		"Run e.g. make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
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
	$(CLI) generate

# URL=https://... (or a file): download, validate, generate in memory, then replace spec/ + spec.lock.
update-spec: $(STAMP)
	@test -n "$(URL)" || { echo "usage: make update-spec URL=https://docs.norce.io/api-reference/nco/openapi/order"; exit 2; }
	$(CLI) update-spec "$(URL)"

check: $(STAMP)
	$(CLI) check

# Spec diff for review: `make diff` = spec at git HEAD vs the working copy;
# `make diff BASE=<rev|file>`, `make diff DIFF_ARGS="--format json --fail-on breaking"`.
# Only the report goes to stdout (`make diff > report.md`): set-up output goes to stderr, and
# the command itself is not echoed.
BASE ?= HEAD
SPEC ?= spec/norce-checkout-order.yaml
diff:
	@$(MAKE) --no-print-directory --silent install >&2
	@$(CLI) diff "$(BASE)" "$(SPEC)" $(DIFF_ARGS)

# Vendor into another repo: `make vendor DEST=../acme/src/acme PACKAGE=norce_order` (DEST/PACKAGE is written);
# `make verify COPY=../acme/src/acme/norce_order` checks a copy against its MANIFEST.json and the spec.
vendor: $(STAMP)
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=path/to/parent [PACKAGE=name] [VENDOR_ARGS=--force]"; exit 2; }
	$(CLI) vendor "$(DEST)" $(if $(PACKAGE),--package "$(PACKAGE)") $(VENDOR_ARGS)

verify: $(STAMP)
	@test -n "$(COPY)" || { echo "usage: make verify COPY=path/to/parent/package"; exit 2; }
	$(CLI) verify "$(COPY)" --spec "$(SPEC)"

lint: $(STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m mypy --strict generator
	cd generated && ../$(PY) -m mypy --strict -p norce_checkout_order

# The suite includes `check` (generated/ is what generate writes) and mypy --strict on generated/.
# `check` runs first: it fills the build caches (.cache/) that the parallel pytest workers then share.
# --dist loadfile: a module's tests run on one worker, in order, so its module and session fixtures
# (the README's checkout copy, Prism, the client-only venvs) are set up once. (loadgroup would be
# finer, but with pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)
# PYTHONDONTWRITEBYTECODE (some shells and CI images set it) is cleared for the run: without
# bytecode every worker and every subprocess re-compiles each module it imports, and pytest
# re-does its assertion rewriting of every test module (~10 s CPU a run); the bytecode goes to the
# git-ignored __pycache__ folders, as for any Python run.
test: export PYTHONDONTWRITEBYTECODE :=
test: $(STAMP) $(PRISM_STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m mypy --strict generator
	$(CLI) check
	$(PY) -m pytest -q -n auto --dist loadfile

contract: $(STAMP) $(PRISM_STAMP)
	$(PY) -m pytest -q tests/contract

# Issue 15's goals against peers measured in the same run (installs openapi-python-client,
# OpenAPI Generator and a client-only venv under bench/.venvs/); appends to bench/RESULTS.md.
bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache
