# The README's two set-up commands are `make demo` and `make test`; CI runs `make test` (.ci/run).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# A run starts hundreds of Python processes (each pulumi run's program and provider, the sandbox, the test
# workers) that import the project's modules: with bytecode written once (__pycache__/, git-ignored), none of
# them compiles the sources again. Some environments set PYTHONDONTWRITEBYTECODE; not for these targets.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: venv cli demo test check lint fmt unit e2e faults gameday bench clean actionlint

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

cli:
	bash tools/pulumi-cli/install.sh >/dev/null

demo: venv cli
	$(PY) -m lookout demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every tier: transport and provider units, sandbox fidelity, and end-to-end runs of the real CLI, on every
# core (pytest-xdist: each worker starts its own sandbox on a free port; worksteal evens out long tests).
PARALLEL := -n auto --dist worksteal
test: venv cli lint
	$(PY) -m pytest -q $(PARALLEL)

# The fast tiers (no engine): units, sandbox fidelity, providers against the sandbox.
check: venv lint
	$(PY) -m pytest -q $(PARALLEL) tests/unit tests/sandbox tests/provider

unit: venv
	$(PY) -m pytest -q tests/unit

e2e: venv cli
	$(PY) -m pytest -q $(PARALLEL) tests/e2e

# The fault suite alone, with its report (it also runs inside `make test`).
faults: venv cli
	$(PY) -m lookout faults

# Both game days at once, each in its own private sandbox: every check of the catalog must be detected in
# time and nothing else fire (exit 0 for both). Reports in .lookout/gameday-{dev,prod}.md.
gameday: venv cli
	mkdir -p .lookout
	$(PY) -m lookout gameday dev --sandbox > .lookout/gameday-dev.md 2> .lookout/gameday-dev.log & dev=$$!; \
	$(PY) -m lookout gameday prod --sandbox > .lookout/gameday-prod.md 2> .lookout/gameday-prod.log; prod=$$?; \
	wait $$dev; dev=$$?; \
	cat .lookout/gameday-dev.md .lookout/gameday-prod.md; \
	if [ $$dev -ne 0 ] || [ $$prod -ne 0 ]; then tail -n 20 .lookout/gameday-dev.log .lookout/gameday-prod.log; fi; \
	[ $$dev -eq 0 ] && [ $$prod -eq 0 ]

# Benchmark (not a test): N = 10, 100, 500 under free-plan limits; writes bench/results/.
bench: venv cli
	$(PY) -m bench.run

clean:
	rm -rf .lookout/sandbox

# The GitHub workflows, checked by actionlint (built once from the Go module proxy into the per-user cache).
ACTIONLINT := $(or $(LOOKOUT_CACHE),$(HOME)/.cache/lookout)/tools/actionlint
actionlint:
	test -x $(ACTIONLINT) || GOBIN=$(dir $(ACTIONLINT)) go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
	$(ACTIONLINT) .github/workflows/*.yml
