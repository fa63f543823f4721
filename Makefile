# kubelua: `make demo` and `make test` are the two commands a new machine needs.
SWIFT ?= swift
APT_PACKAGES := liblua5.4-dev lua5.4 lua-cjson pkg-config openssl
# The benchmark's optional peer: the Python client's Watch with model objects.
BENCH_APT_PACKAGES := python3-kubernetes

.PHONY: deps bench-deps interop-deps test demo bench-json bench bench-stages build dist lint-deploy kubernetes-schema

# Installs the Debian packages in $(1) that are missing (with sudo when not root).
define apt_install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

# The Debian packages the build, the tests and the reference benchmarks need.
deps:
	$(call apt_install,$(APT_PACKAGES))

bench-deps: deps
	$(call apt_install,$(BENCH_APT_PACKAGES))

build: deps
	$(SWIFT) build

# kmock, a third party's Kubernetes API emulator (PyPI), which an interop test runs kubelua
# against (KMockInteropTests); installed in .build-interop/venv.
INTEROP_VENV := .build-interop/venv
interop-deps:
	@$(INTEROP_VENV)/bin/python -c 'import kmock' 2>/dev/null || { \
		python3 -m venv $(INTEROP_VENV) && \
		$(INTEROP_VENV)/bin/pip install -q --disable-pip-version-check kmock==0.8; }

test: deps interop-deps
	$(SWIFT) test

# kubelua against its built-in API server, with the hooks in ./hooks.
demo: deps
	$(SWIFT) build --product kubelua
	$$($(SWIFT) build --show-bin-path)/kubelua demo --hooks hooks

bench-json: deps
	$(SWIFT) run -c release json-bench

# The pipeline benchmark (throughput, latency, memory, sync, reload, scaling, beside lua5.4 +
# cjson; takeover of two `kubelua run --leader-elect` replicas, built first), the scale part
# (100,000 pods cluster-wide: sync and peak RSS, then in a process of its own peak and rest RSS
# under an unpaced stream, so the first part's leftovers are not counted), then the cost
# of each stage per event; tables printed, bench-results/*.json written.
# A quick run: make bench BENCH_ARGS="--pods 2000 --events 20000 --latency-events 4000 \
#   --scaling-calls 10000 --reloads 3 --takeover-rounds 2" SCALE_ARGS="--pods 20000" STAGE_ARGS=5000
bench: bench-deps
	$(SWIFT) build -c release --product kubelua
	$(SWIFT) run -c release kubelua-bench $(BENCH_ARGS)
	$(SWIFT) run -c release kubelua-bench --pods 100000 --skip throughput --skip reference --skip latency \
		--skip reload --skip scaling --skip python --skip takeover --skip unpaced --output bench-results/scale-100k.json $(SCALE_ARGS)
	$(SWIFT) run -c release kubelua-bench --pods 100000 --skip memory --skip throughput --skip reference --skip latency \
		--skip reload --skip scaling --skip python --skip takeover --output bench-results/scale-100k-unpaced.json $(SCALE_ARGS)
	$(SWIFT) run -c release stage-bench $(STAGE_ARGS)

# What one event costs in each stage of the pipeline (framing, parsing, cache, hook call,
# dispatch), measured alone on the same generated events: where the throughput goes.
bench-stages: deps
	$(SWIFT) run -c release stage-bench $(STAGE_ARGS)

# The binary the Containerfile ships: a release build with the Swift runtime linked in, in dist/.
# Lists the shared libraries it still loads (dist/kubelua.libs), fails if the Containerfile's
# runtime stage does not install one of them, and plays the demo with it.
# Its own build folder, so it does not rebuild `make bench`'s release build with other flags.
DIST_BUILD := $(SWIFT) build -c release --static-swift-stdlib --product kubelua --scratch-path .build-dist
dist: deps
	$(DIST_BUILD)
	mkdir -p dist
	install -s -m 0755 "$$($(DIST_BUILD) --show-bin-path)/kubelua" dist/kubelua
	scripts/check-runtime-libs.sh dist/kubelua Containerfile
	dist/kubelua demo --hooks hooks

# Renders deploy/ and its overlays (needs kubectl), checks that the pod gets each hooks folder
# whole, validates them against the Kubernetes schemas and runs checkov's default checks (the
# Python tools go in .build-lint/venv); checks the monitoring overlay's ServiceMonitor and its
# PrometheusRule's rules (promtool); then checks and unit-tests the alert rules with promtool
# (Debian's prometheus package; its service is not started).
LINT_APT_PACKAGES := prometheus
lint-deploy:
	$(call apt_install,$(LINT_APT_PACKAGES))
	scripts/lint-deploy.sh

# The Kubernetes schema `kubelua stubs` generates Pod types from: the Pod and every definition
# reachable from it, for KUBERNETES_SCHEMA_VERSION, extracted from the schemas the PyPI package
# kubernetes-validate ships (installed in .build-stubs/venv), written as committed data in
# Sources/LuaStubs/KubernetesSchema+Data.swift. Then `kubelua stubs editor` refreshes the
# committed stubs (a test fails when they and the generator disagree).
KUBERNETES_SCHEMA_VERSION ?= 1.33.0
kubernetes-schema:
	[ -x .build-stubs/venv/bin/pip ] || python3 -m venv .build-stubs/venv
	.build-stubs/venv/bin/pip install -q --disable-pip-version-check kubernetes-validate==1.37.0
	.build-stubs/venv/bin/python scripts/extract-pod-schema.py $(KUBERNETES_SCHEMA_VERSION) Sources/LuaStubs/KubernetesSchema+Data.swift
