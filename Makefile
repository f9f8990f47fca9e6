# The two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint token job clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## run: the whole service locally on an embedded moto (http://127.0.0.1:$(PORT))
run: $(STAMP)
	PORT=$(PORT) $(BIN)/python -m devtools.server --port $(PORT)

## test: lint, type checks and the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## token: mint a local token, e.g. make token ROLE=officer SUB=o-1 ARGS="--department hrss --county 410302"
token: $(STAMP)
	@$(BIN)/python -m devtools.token $(ROLE) $(SUB) $(ARGS)

## job: run one scheduled job by hand against `make run`, e.g. make job NAME=subsidy-reminders AT=2027-10-15
job: $(STAMP)
	@$(BIN)/python -m devtools.job $(NAME) --url http://127.0.0.1:$(PORT) $(if $(AT),--at $(AT))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build
