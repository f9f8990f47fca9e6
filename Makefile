# The two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint lint-infra package token job department sms-outbox ops browser bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## run: the whole service locally on an embedded moto (http://127.0.0.1:$(PORT));
## SEED=5000 stores that many demo cases first (with a progress bar);
## SMS_QUIET_HOURS=off (or 22:00-07:30) and SMS_RATE_LIMITS=off (or 1/30s,5/1h,10/1d) are passed
## on to the SMS sender (defaults: 21:00-08:00 and the provider's per-phone limits)
run: $(STAMP)
	PORT=$(PORT) $(if $(SMS_QUIET_HOURS),SMS_QUIET_HOURS='$(SMS_QUIET_HOURS)') \
		$(if $(SMS_RATE_LIMITS),SMS_RATE_LIMITS='$(SMS_RATE_LIMITS)') \
		$(BIN)/python -m devtools.server --port $(PORT) $(if $(SEED),--seed $(SEED))

## test: lint, type checks, security lint, the deployment template's checks and the whole test suite
## (tests sharing one local server carry an xdist_group mark: --dist loadgroup keeps them together)
test: $(STAMP) lint lint-infra browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -c pyproject.toml -q -r chalicelib app.py devtools infra ops

# Deployment. The template and the zip are rebuilt only when something they are made of changed.
STAGE ?= prod
REGION ?= cn-north-1
PACKAGE_DIR := build/package
MERGE_TEMPLATE := build/merge-template.json
PACKAGED := $(PACKAGE_DIR)/.packaged-$(STAGE)-$(REGION)
PACKAGE_INPUTS := app.py requirements.txt .chalice/config.json \
	$(shell find chalicelib infra -type f -not -path '*/__pycache__/*')
CHECKOV_VENV := $(VENV)/tools/checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(shell cksum < infra/requirements-checkov.txt | cut -d' ' -f1)

## package: build/package/sam.json and deployment.zip for `aws cloudformation deploy` (STAGE=prod)
package: $(PACKAGED)

$(PACKAGED): $(STAMP) $(PACKAGE_INPUTS)
	$(BIN)/python -m infra.build_template $(MERGE_TEMPLATE)
	rm -rf $(PACKAGE_DIR)
	AWS_DEFAULT_REGION=$(REGION) $(BIN)/chalice package --stage $(STAGE) \
		--merge-template $(MERGE_TEMPLATE) $(PACKAGE_DIR)
	touch $@

# checkov pins its own boto3, which the app's cannot share: it lives in a venv of its own.
$(CHECKOV_STAMP): infra/requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		-r infra/requirements-checkov.txt
	rm -f $(CHECKOV_VENV)/.installed-*
	touch $@

## lint-infra: cfn-lint (both China regions) and checkov on the packaged template (STAGE=prod)
lint-infra: $(STAMP) $(CHECKOV_STAMP) package
	$(BIN)/cfn-lint --regions cn-north-1 cn-northwest-1 -- $(PACKAGE_DIR)/sam.json
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation \
		--file $(PACKAGE_DIR)/sam.json

## token: mint a local token, e.g. make token ROLE=officer SUB=o-1 ARGS="--department hrss --county 410302"
token: $(STAMP)
	@$(BIN)/python -m devtools.token $(ROLE) $(SUB) $(ARGS)

## job: run one scheduled job by hand against `make run`, e.g. make job NAME=subsidy-reminders AT=2027-10-15
job: $(STAMP)
	@$(BIN)/python -m devtools.job $(NAME) --url http://127.0.0.1:$(PORT) $(if $(AT),--at $(AT))

## department: switch a department's local stand-in under `make run` (ok, slow, down, refuse),
## e.g. make department DEPT=tax MODE=down (DEPT: market_regulation, tax, hrss; PORT as for make run)
department: $(STAMP)
	@$(BIN)/python -m devtools.department $(DEPT) $(MODE) --port $(PORT)

## sms-outbox: what the local SMS stand-in of `make run` was asked to send, JSON lines (PORT as for make run)
sms-outbox: $(STAMP)
	@$(BIN)/python -m devtools.sms_outbox --port $(PORT)

## ops: the operators' tool, e.g. make ops ARGS="status --local" (PORT as for make run)
ops: $(STAMP)
	@PORT=$(PORT) $(BIN)/python -m ops $(ARGS)

## browser: Debian's Chromium and a CJK font for the report's rendering test, when missing
## (needs root or sudo; does nothing when both are there)
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e $(CJK_FONT) ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			--no-install-recommends chromium fonts-wqy-zenhei >/dev/null; \
	fi

## bench: benchmarks, not part of make test (AWS calls, cold start, sweep, throughput of N cases,
## package size); prints tables and writes bench/results/latest.json, e.g. make bench N=50
N ?= 200
bench: $(STAMP)
	$(BIN)/python -m bench --cases $(N)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build
