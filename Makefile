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

.PHONY: help setup browser axe eslint run train shell test unit lint fmt validate core-test nlu-test nlu-cv nlu-compare facts e2e bench bench-long screenshots lock clean purge review review-apply deploy-check

setup: $(VENV)/.installed var/spacy_zh/meta.json var/endpoints.yml var/webchat_secret ## create .venv, install the lock file, build var/

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

train: setup models/.current ## train if data or config changed (newest models/*.tar.gz is current)

run: train ## start the action server and the Rasa server, print the chat URL
	@scripts/run_servers.sh

shell: train ## chat in the terminal
	@scripts/run_servers.sh shell

PY_DIRS := actions addons bench coach devtools tests scripts
ESLINT := devtools/eslint/node_modules/.bin/eslint

lint: setup eslint ## black, ruff, mypy, yamllint and ESLint (changes nothing)
	$(VENV)/bin/black --check --quiet $(PY_DIRS)
	$(VENV)/bin/ruff check --quiet $(PY_DIRS)
	$(VENV)/bin/mypy --config-file pyproject.toml
	$(VENV)/bin/yamllint --strict -c .yamllint.yml .
	$(ESLINT) --max-warnings 0 webchat

fmt: setup eslint ## rewrite the code in the project's style (black, ruff --fix, ESLint --fix)
	$(VENV)/bin/black --quiet $(PY_DIRS)
	$(VENV)/bin/ruff check --quiet --fix $(PY_DIRS)
	$(ESLINT) --fix webchat

# ESLint from the npm registry at the versions pinned in devtools/eslint/package-lock.json.
eslint: devtools/eslint/node_modules/.installed ## ESLint for the widget (npm ci)

devtools/eslint/node_modules/.installed: devtools/eslint/package.json devtools/eslint/package-lock.json
	cd devtools/eslint && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

unit: setup ## the unit tests (no servers)
	$(PY) -m pytest -q tests --ignore=tests/e2e

validate: setup ## rasa data validate --fail-on-warnings
	$(RASA) data validate --fail-on-warnings

core-test: train ## the dialogue stories in tests/stories
	$(RASA) test core --stories tests/stories --fail-on-prediction-errors --out results/core

# Held-out NLU (never trained on): outside-style accuracy >= 93 %, per-intent F1, the
# fallback rate, the old held-out figure, crisis recall (100 %) and false alarms (<= 2 %) on tests/nlu/crisis*.yml.
nlu-test: train ## the held-out NLU sets and their gates
	$(PY) scripts/nlu_eval.py

# 5-fold cross-validation of the NLU on the training data (not part of `make test`).
nlu-cv: setup ## 5-fold cross-validation of the NLU (not in make test)
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 --out results/nlu-cv
	@$(PY) -c "import json; r=json.load(open('results/nlu-cv/intent_report.json')); print('5-fold intent accuracy: %.1f %%, macro F1 %.3f' % (100*r['accuracy'], r['macro avg']['f1-score']))"

# The facts the coach states, as one table for a lawyer to review (docs/facts.md).
facts: setup ## write docs/facts.md from the fact catalogue
	$(PY) scripts/make_facts.py

# Trains the pipeline variants of the README's comparison and measures each one.
nlu-compare: setup ## train and measure the pipeline variants
	$(PY) scripts/compare_pipelines.py

# Deletes once the conversations idle for more than COACH_RETENTION_DAYS (default 90);
# a running server does it every hour (addons/stores/retention.py).
purge: setup ## delete conversations idle past the retention period
	$(PY) scripts/purge.py --endpoints var/endpoints.yml

# The review queue of misunderstood turns (masked, conversations hashed) and the markers'
# counts (markers.yml); docs/operations.md. ENDPOINTS, REVIEW_OUT, SINCE and UNTIL honoured.
ENDPOINTS ?= var/endpoints.yml
REVIEW_OUT ?= var/review/queue.jsonl
review: setup ## the review queue of misunderstood turns and the markers' counts
	$(PY) scripts/review.py --endpoints $(ENDPOINTS) --out $(REVIEW_OUT) \
		$(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL))

# A reviewed queue (correct_intent filled in) into data/nlu/reviewed.yml; never into tests/.
review-apply: setup ## a reviewed queue into data/nlu/reviewed.yml
	$(PY) scripts/review_apply.py --queue $(REVIEW_OUT)

# Renders deploy/k8s with kubectl kustomize and validates every object offline, and checks
# deploy/compose.yaml against the Compose specification's schema (scripts/deploy_check.py).
deploy-check: setup ## render and validate deploy/k8s and deploy/compose.yaml offline
	@command -v kubectl >/dev/null || { echo "deploy-check needs kubectl (apt-get install kubectl, or the kubectl binary on PATH)" >&2; exit 1; }
	$(PY) scripts/deploy_check.py

# Debian's Chromium for the widget's browser tests (never a browser download).
browser: ## install Debian's Chromium for the browser tests
	@scripts/install_browser.sh

# axe-core for the widget's accessibility test (tests/e2e/test_widget_a11y.py), from the
# npm registry at the version pinned in tests/e2e/axe/package-lock.json; the test injects it.
AXE_DIR := tests/e2e/axe
axe: $(AXE_DIR)/node_modules/.installed ## axe-core for the accessibility test

$(AXE_DIR)/node_modules/.installed: $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

e2e: train browser axe ## end-to-end tests against real servers and a browser
	$(PY) -m pytest -q tests/e2e

screenshots: train browser ## refresh docs/screenshot-*.png
	SCREENSHOT_DIR=$(CURDIR)/docs $(PY) -m pytest -q tests/e2e/test_widget_browser.py -k screenshots

test: lint unit validate deploy-check train core-test nlu-test e2e ## every check (CI runs this)

# Project vs Rasa's template bot, same protocol; prints the table, writes docs/benchmark.md.
bench: train ## the benchmark table (docs/benchmark.md)
	$(PY) bench/run_bench.py --with-training

# Only the long-conversation row (one 300-turn conversation per bot); prints, writes nothing.
bench-long: train ## only the benchmark's 300-turn conversation, printed
	$(PY) bench/run_bench.py --long-only

lock: ## regenerate requirements.lock from requirements.in
	$(PY) -m pip install --quiet -r requirements.in
	(echo "# Generated by 'make lock' from requirements.in with Python 3.10; do not edit by hand."; \
	 $(PY) -m pip freeze --all | grep -viE '^(pip|setuptools|wheel)==') > requirements.lock

clean: ## remove models, results and built pipelines
	rm -rf models results .rasa var/spacy_zh

help: ## this list
	@grep -hE '^[a-z][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z0-9-]+):.*## (.*)/\1\t\2/' | \
	  awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'
