#!/usr/bin/env bash
# The main job on the embedded store: a fresh workspace with the Guangxi seed, the chains,
# the chain scores, the top gaps with their candidates, and the browser report.
set -euo pipefail
cd "$(dirname "$0")/.."
WS="${1:-.kjqg-demo}"; shift || true
K=".venv/bin/kjqg -w $WS"
has() { .venv/bin/kjqg "$1" --help >/dev/null 2>&1; }

rm -rf "$WS"
$K init
$K seed guangxi
echo; echo "== 产业链 chains"; $K chains
if has score; then echo; echo "== 链条评分 chain scores"; $K score; fi
if has gaps; then echo; echo "== 主要缺口 top gaps (with candidates)"; $K gaps --top 15; fi
if [ "${1:-}" = "--neo4j" ]; then
  # A local Neo4j 5.26 server (scripts/neo4j.sh): started here unless one is already running, and then
  # stopped on the way out (also when a step fails), so the demo leaves nothing behind.
  if ! bash scripts/neo4j.sh status >/dev/null; then
    bash scripts/neo4j.sh start
    trap 'bash scripts/neo4j.sh stop' EXIT
  fi
  eval "$(bash scripts/neo4j.sh env)"; export NEO4J_PASSWORD="${KJQG_NEO4J_PASSWORD:-kjqg-test-password}"
  $K neo4j push --prune
  echo; echo "== the same scores, answered by Neo4j in Cypher"; $K score --backend neo4j
  echo; echo "== the same top gaps, answered by Neo4j"; $K gaps --backend neo4j --top 15
fi
if has report; then
  $K report -o report
  echo; echo "report: $(pwd)/report/index.html"
fi
