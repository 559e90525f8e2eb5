# Two commands do all the set-up on a fresh machine (only Python 3.11, Java 17 and Maven needed):
#   make demo   — venv, install, load the Guangxi seed, print chains, scores, gaps; write the report
#   make test   — venv, install, Chromium, a real Neo4j server; run the whole test suite; stop Neo4j
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kjqg-installed
DEMO_WS ?= .kjqg-demo

.PHONY: demo demo-neo4j test install bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh $(DEMO_WS)

demo-neo4j: $(STAMP)
	bash scripts/demo.sh $(DEMO_WS) --neo4j

test: $(STAMP)
	bash scripts/test.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --scale 10k,100k

clean:
	rm -rf $(DEMO_WS) report benchmarks/_work
