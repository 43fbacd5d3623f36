# powercis: the two commands are `make demo` and `make check` (see README.md).
# Meson + Ninja do the building; this file installs what is missing and picks the build.
SHELL := /bin/bash
BUILD := build
CHECK_BUILD := build-check
DEMO_DB ?= var/demo.db
DEMO_CUSTOMERS ?= 50000
DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_SERVE ?= 1

.PHONY: all release deps demo check bench soak clean

all: release

release:
	@scripts/deps.sh build
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=release -Doptimization=2 >/dev/null
	@ninja -C $(BUILD) >/dev/null

# The test build: AddressSanitizer and UBSan, every suite, last line "N passed, N failed".
check:
	@scripts/deps.sh check
	@[ -f $(CHECK_BUILD)/build.ninja ] || meson setup $(CHECK_BUILD) --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(CHECK_BUILD) >/dev/null
	@scripts/run-tests.sh $(CHECK_BUILD)

demo: release
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(BUILD)/powercis --db $(DEMO_DB) demo --customers $(DEMO_CUSTOMERS) --seed 1
	@if [ "$(DEMO_SERVE)" = 1 ]; then \
	  echo; echo "web app: http://$(DEMO_LISTEN)/ (sign in with an account above), self-service: http://$(DEMO_LISTEN)/self"; \
	  echo "stop the server with Ctrl-C; DEMO_SERVE=0 builds the demo without serving it"; \
	  exec $(BUILD)/powercis --db $(DEMO_DB) serve --listen $(DEMO_LISTEN); fi

# `make bench ENGINE=postgres` runs the billing benchmark on a throwaway PostgreSQL cluster.
ENGINE ?= sqlite
bench: release
	@scripts/deps.sh bench
	@[ "$(ENGINE)" != postgres ] || scripts/deps.sh check
	@scripts/bench.sh $(BUILD) --engine $(ENGINE)

# The long runs of issue 9 (docs/testing.md): longer fuzzing, a 10-minute mixed load, kill/restart
# cycles with a 1,000,000-line import. About an hour; not part of CI.
soak: release
	@scripts/deps.sh check
	@[ -f $(CHECK_BUILD)/build.ninja ] || meson setup $(CHECK_BUILD) --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(CHECK_BUILD) >/dev/null
	@scripts/soak.sh $(BUILD) $(CHECK_BUILD)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) build-fuzz
