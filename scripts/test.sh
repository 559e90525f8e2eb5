#!/usr/bin/env bash
# The whole test suite against real parts: headless Chromium and a real Neo4j server.
# Starts what the tests need, runs pytest, stops what it started. Extra args go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

bash scripts/ensure_chromium.sh || { echo "test.sh: Chromium could not be installed" >&2; [ "${CI:-}" = true ] && exit 1; }

started_neo4j=""
if [ -x scripts/neo4j.sh ] || [ -f scripts/neo4j.sh ]; then
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    if bash scripts/neo4j.sh start; then
      started_neo4j=1
      eval "$(bash scripts/neo4j.sh env)"
      export NEO4J_PASSWORD="${KJQG_NEO4J_PASSWORD:-kjqg-test-password}"
      export KJQG_NEO4J_TESTS=1
    else
      echo "test.sh: the Neo4j server did not start; Neo4j tests will fail under CI=true, skip otherwise" >&2
    fi
  else
    echo "test.sh: Java or Maven missing; Neo4j tests skipped (install Java 17 and Maven to run them)" >&2
  fi
fi
trap '[ -n "$started_neo4j" ] && bash scripts/neo4j.sh stop >/dev/null 2>&1' EXIT

$BIN/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "test.sh: pytest collected no tests — that is a failure" >&2
  rc=1
fi
exit $rc
