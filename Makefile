# Two commands do all set-up: `make run` and `make test` (both create .venv/ when missing).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint playground bench clean

# -qq: errors only (setuptools' notes on editable installs of a flat layout are no news to a deployer).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --quiet --upgrade pip
	$(PY) -m pip install --quiet --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py run

playground: $(STAMP)
	$(PY) main.py playground

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest

# Not part of `make test`: about 15 minutes; writes bench/results/latest.md.
bench: $(STAMP)
	$(PY) -m bench $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
