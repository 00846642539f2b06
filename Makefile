# The two commands of the quick start: `make run` and `make test`. Each creates the virtual environment first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench soak lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m iot_stack

test: $(STAMP)
	$(VENV)/bin/ruff check --quiet .
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench --output docs/benchmark-latest.md

soak: $(STAMP)
	IOT_HTTPS_SOAK=1 $(PY) -m pytest tests/reliability

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .state
