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

.PHONY: run build package test lint vet fmt-check smoke bench screenshot deps-build deps-test clean

run: build
	./$(BIN)

build: deps-build
	$(GO) build -tags $(GOTAGS) -o $(BIN) .

# A desktop package (EtherLearn.tar.xz: binary, .desktop entry, icon) made
# with the Fyne packaging tool from the module proxy. Install it with:
#   tar -xJf EtherLearn.tar.xz && sudo make -C etherlearn install
# The tool increments Build in FyneApp.toml; commit that with a release.
package: deps-build
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package -os linux -release

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

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
# row measures). Builds the binary, so it needs the build packages.
bench: deps-build
	scripts/bench.sh

clean:
	rm -f $(BIN) EtherLearn.tar.xz
