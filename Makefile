# EtherLearn: `make run` opens the app, `make test` runs every check.
# Both install the Debian packages they need first (scripts/deps.sh).

GO      ?= go
BIN     ?= etherlearn
# The tags Fyne's packaging tool adds: FyneApp.toml declares the fyneDo
# migration, so Fyne skips its per-call thread checks (about a sixth of the
# window's CPU without it).
GOTAGS  ?= migrated_fynedo
export LANG ?= en_US.UTF-8
# staticcheck comes from the Go module proxy at a pinned version.
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Packages whose tests measure allocations (see `test`).
ALLOC_PKGS = $(sort $(dir $(shell grep -rl --include='*_test.go' 'AllocsPerRun' .)))

.PHONY: run build package install uninstall icons test lint vet fmt-check smoke bench screenshot deps-build deps-test deps-bench bench-memory clean

run: build
	./$(BIN)

build: deps-build
	$(GO) build -tags $(GOTAGS) -o $(BIN) .

# The desktop package, assembled from the normal build in seconds (no
# Fyne packaging tool): etherlearn-VERSION-linux-ARCH.tar.xz holds the
# binary, the .desktop entry, icons at 16-512 px and a Makefile:
#   tar -xJf etherlearn-*.tar.xz && make -C etherlearn-*/ install
# installs for the current user without root. The version comes from
# FyneApp.toml (also embedded in the binary); nothing tracked is edited.
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
PKG     := etherlearn-$(VERSION)-linux-$(shell $(GO) env GOARCH 2>/dev/null)
PREFIX  ?= $(HOME)/.local

package: build
	scripts/package.sh ./$(BIN) tar $(PKG).tar.xz
	@echo "package: $(PKG).tar.xz"

# Install for the current user (binary in ~/.local/bin, menu entry in
# ~/.local/share/applications, icons in ~/.local/share/icons/hicolor);
# the same Makefile the package carries does it.
install: build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		scripts/package.sh ./$(BIN) stage "$$tmp/$(PKG)" && \
		$(MAKE) --no-print-directory -C "$$tmp/$(PKG)" install PREFIX="$(PREFIX)"

uninstall:
	$(MAKE) --no-print-directory -f scripts/package.mk uninstall PREFIX="$(PREFIX)" \
		SIZES="$(basename $(notdir $(wildcard assets/icons/*x*.png)))"

# Redraw the icons (assets/icons/*.png, assets/icon.png).
icons:
	$(GO) run ./scripts/mkicon

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

deps-bench:
	@scripts/deps.sh bench

# Everything CI runs: formatting, vet, the race-enabled tests of every
# package (real sockets, pseudo-terminals, captures, tshark, tcpdump) and
# the real window under Xvfb. ETHERLEARN_REQUIRE_TOOLS=1 turns a missing
# tool into a failure instead of a skip.
test: deps-test fmt-check vet lint
	# Allocation checks (testkit.AllocsPerRun) are only checked without the
	# race detector, which allocates: every test of each package that
	# measures allocations runs once without -race, whatever it is named.
	ETHERLEARN_REQUIRE_TOOLS=1 $(GO) test -count=1 -timeout 30m $(ALLOC_PKGS)
	ETHERLEARN_REQUIRE_TOOLS=1 $(GO) test -race -count=1 -timeout 30m ./...

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint:
	$(STATICCHECK) ./...

# The window smoke test alone.
smoke: deps-test
	ETHERLEARN_REQUIRE_TOOLS=1 $(GO) test -race -count=1 -run TestWindowSmokeUnderXvfb -v .

# Refresh the README screenshots (overview and a learner tab, after three
# minutes on the simulator) from the real window under Xvfb.
screenshot: deps-test
	ETHERLEARN_REQUIRE_TOOLS=1 ETHERLEARN_SCREENSHOT=$(CURDIR)/docs/screenshot.png \
		$(GO) test -count=1 -run TestWindowSmokeUnderXvfb .

# One table of frames/s and allocations (scripts/bench.sh says what each
# row measures). Builds the binary, so it needs the build packages, and
# compares with a per-frame scikit-learn loop (python3-sklearn).
bench: deps-bench
	scripts/bench.sh

# Peak RSS of headless runs of 10^6 and 10^7 simulator frames, on the
# default and random scenarios (issue 14: flat within 10%). Long: several
# minutes per 10^7-frame run; scripts/bench_memory.sh has the tunables.
bench-memory: deps-build
	scripts/bench_memory.sh

clean:
	rm -f $(BIN) etherlearn-*.tar.xz
