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
if [ "${1:-}" = "--neo4j" ] && has neo4j; then
  bash scripts/neo4j.sh start
  eval "$(bash scripts/neo4j.sh env)"; export NEO4J_PASSWORD="${KJQG_NEO4J_PASSWORD:-kjqg-test-password}"
  $K neo4j push
  echo; echo "== the same scores answered by Neo4j"; $K score --backend neo4j
  bash scripts/neo4j.sh stop
fi
if has report; then
  $K report -o report
  echo; echo "report: $(pwd)/report/index.html"
fi
