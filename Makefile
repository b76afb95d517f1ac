# Model Factory — every setup and build step lives here (see README.md).
SWIFT ?= swift
FACTORY_RELEASE := .build/release/factory
FUZZ_SECONDS ?= 120

.PHONY: setup build release test lint format demo bench fuzz clean

## setup: install what is missing (OpenBLAS through apt on Debian/Ubuntu); quiet when all is there
setup:
	@scripts/setup.sh

## build: debug build of the package
build: setup
	$(SWIFT) build

## release: optimized build of the `factory` tool
release: setup
	$(SWIFT) build -c release --product factory

## test: the whole test suite (what CI runs)
test: setup
	$(SWIFT) test

## lint: swift format's lint with the committed .swift-format (warnings are errors) and the module
## layering check of README.md's "Modules" (scripts/check_layers.py); CI runs it before the tests
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests fuzz/Package.swift fuzz/Sources
	scripts/check_layers.py

## format: rewrite Package.swift, Sources and Tests with swift format and the committed configuration
format:
	$(SWIFT) format format --in-place --recursive Package.swift Sources Tests fuzz/Package.swift fuzz/Sources

## demo: build in release and run the whole factory line on the local corpora (pipelines/demo.toml);
## a second run does no work; the report lands in .factory/pipelines/demo/report/*/report.html
demo: release
	$(FACTORY_RELEASE) run pipelines/demo.toml

## bench: benchmarks against named reference implementations (see bench/README.md)
bench: release
	bench/run.sh

## fuzz: libFuzzer on the parsers (config TOML/JSON, safetensors, tokenizer.json, JSON Lines, CSV,
## pipeline files), each for FUZZ_SECONDS (default 120) from the seeds in fuzz/corpus; builds the
## separate package fuzz/ into .build-fuzz; executions per target in .build-fuzz/summary.txt (fuzz/README.md)
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf .build
