# The README's two set-up commands are `make demo` and `make test`; CI runs `make test` (.ci/run).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# Per-user caches, outside the repo (tools/pulumi-cli/install.sh keeps the Pulumi CLI there too).
CACHE := $(or $(LOOKOUT_CACHE),$(HOME)/.cache/lookout)
# A run starts hundreds of Python processes (each pulumi run's program and provider, the sandbox, the test
# workers) that import the project's modules: with bytecode written once (__pycache__/, git-ignored), none of
# them compiles the sources again. Some environments set PYTHONDONTWRITEBYTECODE; not for these targets.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: venv cli demo sandbox official-tools test check lint fmt unit e2e faults gameday bench clean actionlint

venv: $(STAMP)

# uv installs the project and its pinned dependencies (about 5 s from its cache, where pip takes about 50 s
# on 2 cores); pip only fetches uv itself. UV_NATIVE_TLS: the system's certificates, as pip uses them.
# editable_mode=compat: the checkout goes on sys.path through a .pth line, where setuptools' default imports
# a finder module at every interpreter start (Python's own start in .venv: 40 -> 19 ms, 30 starts; a run
# starts hundreds of interpreters).
UV_VERSION := 0.13.8
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/uv --version 2>/dev/null | grep -qF ' $(UV_VERSION)' || $(PY) -m pip install --quiet 'uv==$(UV_VERSION)'
	UV_NATIVE_TLS=1 $(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]' --config-settings editable_mode=compat
	rm -f $(VENV)/.installed-* && touch $@

cli:
	bash tools/pulumi-cli/install.sh >/dev/null

demo: venv cli
	$(PY) -m lookout demo

# The demo's sandbox in the foreground, on its state (after `make demo`), each vendor host at a root of its
# own on the ports after it: for the vendors' own tools (README, "Use the vendors' own tools on the sandbox").
sandbox: venv
	$(PY) -m sandbox --port $${LOOKOUT_SANDBOX_PORT:-18765} --db .lookout/sandbox/sandbox.db

# The vendors' own tools (UptimeRobot's CLI, installed with npm into the per-user cache; sentry-cli;
# PagerDuty's Python clients) read what `make demo` deployed from its sandbox; CI runs it after the demo.
official-tools: venv
	$(PY) -m harness.tools_after_demo

# mypy keeps its cache with the other per-user caches: a fresh clone checks in about 2 s instead of 30 (a
# cached module is reused only when its source hashes the same; the paths may differ).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --cache-dir $(CACHE)/mypy .
	@test -z "$$(gofmt -l tools)" || { gofmt -l tools; echo "gofmt: the files above need make fmt"; exit 1; }

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	gofmt -w tools

# Every tier: transport and provider units, sandbox fidelity, and end-to-end runs of the real CLI, on every
# core (pytest-xdist: each worker starts its own sandbox on a free port; worksteal evens out long tests).
# One worker more than cores: an end-to-end test's processes take turns (engine, host, program, provider,
# sandbox) and wait on rate windows, so cores idle with one worker each (2 cores, 2026-12-07: pytest 706 s
# with 2 workers, 645 s with 3 at 183% CPU).
WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PARALLEL := -n $(WORKERS) --dist worksteal
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
ACTIONLINT := $(CACHE)/tools/actionlint
actionlint:
	test -x $(ACTIONLINT) || GOBIN=$(dir $(ACTIONLINT)) go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
	$(ACTIONLINT) .github/workflows/*.yml
