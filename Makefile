# The two commands of the quick start: `make run` and `make test`. Each first checks the system packages it needs
# (scripts/system-packages.sh: installed when we are root, else the one command to run), then creates the
# virtual environment.
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

# Not .PHONY: make skips pattern rules for phony targets. No file of these names is ever made, so they always run.
system-packages-%:
	@sh scripts/system-packages.sh $*

run: system-packages-run $(STAMP)
	$(PY) -m iot_stack

test: system-packages-test $(STAMP)
	$(VENV)/bin/ruff check --quiet .
	$(PY) -m pytest

bench: system-packages-bench $(STAMP)
	$(PY) -m bench --output docs/benchmark-latest.md

soak: $(STAMP)
	IOT_HTTPS_SOAK=1 $(PY) -m pytest tests/reliability

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .state
