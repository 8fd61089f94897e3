# Syllabus: `make build` builds the bundled Content/ into Output/, `make test` runs the tests.
# Both install what is missing on a Debian machine first (run as root, or with sudo available).

SWIFT ?= swift
APT_PACKAGES = pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev libzstd-dev
TEST_APT_PACKAGES = $(APT_PACKAGES) cmark-gfm epubcheck chromium poppler-utils python3-venv
ANKI_VENV ?= .venv-anki
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test check clean deps test-deps bench

build: deps
	$(SWIFT) build -c release
	.build/release/syllabus build

check: deps
	$(SWIFT) build -c release
	.build/release/syllabus check

clean:
	$(SWIFT) build -c release
	.build/release/syllabus clean

test: test-deps
	ANKI_PYTHON=$(abspath $(ANKI_VENV))/bin/python $(SWIFT) test --disable-swift-testing

bench: deps
	python3 Benchmarks/run.py

# Installs the Debian packages that are missing, and nothing when all are there.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

test-deps:
	@missing=$$(for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@[ -x $(ANKI_VENV)/bin/python ] && $(ANKI_VENV)/bin/python -c 'import anki' 2>/dev/null || \
	  { python3 -m venv $(ANKI_VENV) && $(ANKI_VENV)/bin/pip install -q anki; }
	@# axe-core for the accessibility tests: the package ships axe.min.js, which is all they use.
	@$(ANKI_VENV)/bin/python -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("axe_playwright_python") is None)' || \
	  $(ANKI_VENV)/bin/pip install -q --no-deps axe-playwright-python==0.1.8
	@# fsrs: the FSRS-6 reference scheduler the practice page's scheduler is tested against.
	@$(ANKI_VENV)/bin/python -c 'import importlib.metadata as m; assert m.version("fsrs").startswith("6.")' 2>/dev/null || \
	  $(ANKI_VENV)/bin/pip install -q 'fsrs>=6,<7'
