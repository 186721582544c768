# The debt-negotiation coach. `make run` to chat, `make test` for every check.
SHELL := /bin/bash
RASA_PORT ?= 5005
ACTION_PORT ?= 5055
export RASA_PORT ACTION_PORT
# PROFILE=scale puts conversations in PostgreSQL and locks in Redis (endpoints.scale.yml).
PROFILE ?= default
ENDPOINTS_TEMPLATE := $(if $(filter scale,$(PROFILE)),endpoints.scale.yml,endpoints.yml)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
# Rasa's telemetry would try to reach the network; this machine has none.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

# The NLU components read the core and its lexicons, so those retrain the model too.
TRAIN_INPUTS := config.yml domain.yml content/normalisation.yml content/safety.yml \
	$(shell find data addons/nlu coach/language coach/safety coach/understanding coach/figures coach/content.py coach/paths.py -name '*.yml' -o -name '*.py' 2>/dev/null)

.PHONY: setup browser axe run train shell test unit lint validate core-test nlu-test nlu-cv nlu-compare facts e2e bench screenshots lock clean purge

setup: $(VENV)/.installed var/spacy_zh/meta.json var/endpoints.yml var/webchat_secret

$(VENV)/bin/python:
	@py=$$(scripts/find_python310.sh) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

var/spacy_zh/meta.json: scripts/build_spacy_zh.py | $(VENV)/.installed
	$(PY) scripts/build_spacy_zh.py var/spacy_zh

var/endpoints.yml: $(ENDPOINTS_TEMPLATE) FORCE
	@mkdir -p var
	@sed "s#localhost:5055#localhost:$(ACTION_PORT)#" $(ENDPOINTS_TEMPLATE) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

FORCE:

# The key of the web chat's conversation credentials (addons/channels/ownership.py): 32 random
# bytes, made once, readable by this user only, never committed (var/ is git-ignored).
var/webchat_secret:
	@mkdir -p var
	@(umask 077; head -c 32 /dev/urandom > $@.tmp) && mv -n $@.tmp $@ && rm -f $@.tmp

models/.current: $(TRAIN_INPUTS) | setup
	@started=$$(date +%s); \
	$(RASA) train --fixed-model-name coach-$$(date +%Y%m%d-%H%M%S) --out models || exit 1; \
	echo $$(( $$(date +%s) - started )) > var/last_training_seconds; \
	echo "Training took $$(cat var/last_training_seconds) s (unchanged components come from Rasa's cache)"
	@ls -t models/*.tar.gz | head -n 1 > $@

train: setup models/.current

run: train
	@scripts/run_servers.sh

shell: train
	@scripts/run_servers.sh shell

lint: setup
	$(VENV)/bin/black --check --quiet actions addons bench coach devtools tests scripts
	$(VENV)/bin/ruff check --quiet actions addons bench coach devtools tests scripts
	$(VENV)/bin/mypy --config-file pyproject.toml

unit: setup
	$(PY) -m pytest -q tests --ignore=tests/e2e

validate: setup
	$(RASA) data validate --fail-on-warnings

core-test: train
	$(RASA) test core --stories tests/stories --fail-on-prediction-errors --out results/core

# Held-out NLU (never trained on): outside-style accuracy >= 93 %, per-intent F1, the
# fallback rate, the old held-out figure, crisis recall (100 %) and false alarms (<= 5 %).
nlu-test: train
	$(PY) scripts/nlu_eval.py

# 5-fold cross-validation of the NLU on the training data (not part of `make test`).
nlu-cv: setup
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 --out results/nlu-cv
	@$(PY) -c "import json; r=json.load(open('results/nlu-cv/intent_report.json')); print('5-fold intent accuracy: %.1f %%, macro F1 %.3f' % (100*r['accuracy'], r['macro avg']['f1-score']))"

# The facts the coach states, as one table for a lawyer to review (docs/facts.md).
facts: setup
	$(PY) scripts/make_facts.py

# Trains the pipeline variants of the README's comparison and measures each one.
nlu-compare: setup
	$(PY) scripts/compare_pipelines.py

# Deletes once the conversations idle for more than COACH_RETENTION_DAYS (default 90);
# a running server does it every hour (addons/stores/retention.py).
purge: setup
	$(PY) scripts/purge.py --endpoints var/endpoints.yml

# Debian's Chromium for the widget's browser tests (never a browser download).
browser:
	@scripts/install_browser.sh

# axe-core for the widget's accessibility test (tests/e2e/test_widget_a11y.py), from the
# npm registry at the version pinned in tests/e2e/axe/package-lock.json; the test injects it.
AXE_DIR := tests/e2e/axe
axe: $(AXE_DIR)/node_modules/.installed

$(AXE_DIR)/node_modules/.installed: $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

e2e: train browser axe
	$(PY) -m pytest -q tests/e2e

screenshots: train browser
	SCREENSHOT_DIR=$(CURDIR)/docs $(PY) -m pytest -q tests/e2e/test_widget_browser.py -k screenshots

test: lint unit validate train core-test nlu-test e2e

# Project vs Rasa's template bot, same protocol; prints the table, writes docs/benchmark.md.
bench: train
	$(PY) bench/run_bench.py --with-training

lock:
	$(PY) -m pip install --quiet -r requirements.in
	(echo "# Generated by 'make lock' from requirements.in with Python 3.10; do not edit by hand."; \
	 $(PY) -m pip freeze --all | grep -viE '^(pip|setuptools|wheel)==') > requirements.lock

clean:
	rm -rf models results .rasa var/spacy_zh
