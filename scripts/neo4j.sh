#!/usr/bin/env bash
# Run a local Neo4j 5.26 LTS Community server (no Docker, no tarball): the
# server jars come from Maven Central (scripts/neo4j/pom.xml), are cached once,
# and the server is launched straight from that classpath.
#
#   scripts/neo4j.sh start    fetch jars if needed, init home + password, start, wait for Bolt
#   scripts/neo4j.sh stop     stop the server started from this home (waits until it is gone)
#   scripts/neo4j.sh status   "running" (exit 0) or "stopped" (exit 3)
#   scripts/neo4j.sh env      print export lines for NEO4J_URI / NEO4J_USERNAME
#   scripts/neo4j.sh fetch    only populate the jar cache
#
# See scripts/neo4j/README.md for the environment variables.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
POM="$SCRIPT_DIR/neo4j/pom.xml"

NEO4J_VERSION=${KJQG_NEO4J_VERSION:-5.26.30}
CACHE_DIR=${KJQG_NEO4J_CACHE:-$HOME/.cache/kjqg/neo4j-5.26}
LIB_DIR="$CACHE_DIR/lib"
NHOME=${KJQG_NEO4J_HOME:-/tmp/kjqg-neo4j}
PORT=${KJQG_NEO4J_PORT:-7687}
HEAP=${KJQG_NEO4J_HEAP:-3g}
PAGECACHE=${KJQG_NEO4J_PAGECACHE:-3g}
# G1 against Serial (2026-11-29, 100k stage neo4j-push, four interleaved pairs at load 1.9-2.8): the timed
# push's server CPU was G1 14.7/13.4/12.9/12.8 s against Serial 12.5/12.5/14.4/12.4 s (46.2-51.5k vs
# 46.0-52.0k rows/s) -- 0.5 s apart on average, Serial behind in one pair, so not a clear win; Serial's first push
# after a start used less (22.3-26.0 vs 24.0-28.4 server CPU-s). The 1M push was not measured with Serial.
# ParallelGC was much worse on 2026-11-27 (an earlier push), but with the push of 657e6ec it is ahead:
# 2026-11-29, 100k stage neo4j-push on fresh servers, interleaved Parallel/G1 pairs: 59.9/54.5, 54.3/51.0,
# 51.7/50.6, 49.7/50.4, 55.4/53.3, 55.8/51.9k (load 1.9-3.1) and, quiet (load 1.0-2.6), 56.8/49.6, 55.3/53.0k
# rows/s; the timed push's server CPU 12.3-14.6 s against 13.5-15.1 s (a throughput collector: the push
# allocates much and short-lived). The Cypher questions at 100k stay under 2 s (enterprise_list 1.90 and
# 1.39 s with Parallel, 1.53 with G1); the 1M push 62.5k rows/s (G1 57.1k), its questions faster too. So Parallel
# is the default.
GC=${KJQG_NEO4J_GC:-Parallel}
TX_STATE=${KJQG_NEO4J_TX_STATE:-ON_HEAP}
START_TIMEOUT=${KJQG_NEO4J_START_TIMEOUT:-120}
STOP_TIMEOUT=${KJQG_NEO4J_STOP_TIMEOUT:-60}
# The password is read from KJQG_NEO4J_PASSWORD and never printed.
PASSWORD=${KJQG_NEO4J_PASSWORD:-kjqg-test-password}

PID_FILE="$NHOME/run/neo4j.pid"
CONSOLE_LOG="$NHOME/logs/console.log"
MAIN_CLASS=org.neo4j.server.CommunityEntryPoint

if [ -n "${KJQG_NEO4J_JAVA:-}" ]; then JAVA=$KJQG_NEO4J_JAVA
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java
else JAVA=java
fi

log() { printf 'neo4j.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- fetch
fetch() {
  if [ -f "$LIB_DIR/.kjqg-fetched" ] && [ "$(cat "$LIB_DIR/.kjqg-fetched")" = "$NEO4J_VERSION" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to fetch the Neo4j jars)"
  mkdir -p "$CACHE_DIR"
  local tmp="$CACHE_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  log "fetching Neo4j $NEO4J_VERSION jars from Maven Central into $LIB_DIR (one time) ..."
  local t0=$SECONDS
  # shellcheck disable=SC2086  # KJQG_NEO4J_MVN_ARGS is intentionally word-split
  if ! mvn -q -B -f "$POM" ${KJQG_NEO4J_MVN_ARGS:-} -Dneo4j.version="$NEO4J_VERSION" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"$CACHE_DIR/fetch.log" 2>&1; then
    tail -n 40 "$CACHE_DIR/fetch.log" >&2
    rm -rf "$tmp"
    die "maven fetch failed (full log: $CACHE_DIR/fetch.log)"
  fi
  ls "$tmp"/neo4j-"$NEO4J_VERSION".jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "fetch produced no neo4j-$NEO4J_VERSION.jar"; }
  printf '%s\n' "$NEO4J_VERSION" >"$tmp/.kjqg-fetched"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  # shellcheck disable=SC2012
  log "fetched $(ls "$LIB_DIR"/*.jar | wc -l | tr -d ' ') jars ($(du -sh "$LIB_DIR" | cut -f1)) in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- helpers
pid_alive() {  # $1 = pid; true if it is our Neo4j server process
  local pid=$1 args
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -p "$pid" -o args= 2>/dev/null) || return 1
  case "$args" in *"$MAIN_CLASS"*"--home-dir=$NHOME "*) return 0 ;; esac
  return 1
}

running_pid() {  # prints the pid if the server of this home is running
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  if pid_alive "$pid"; then printf '%s\n' "$pid"; return 0; fi
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

bolt_answers() {
  # Bolt handshake: magic 0x6060B017 + 4 proposals (5.8..5.0, 4.4, none, none);
  # a Bolt server answers with the 4-byte version it picked (non-zero).
  local reply
  # shellcheck disable=SC2016  # $1 expands in the inner bash
  reply=$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "\x60\x60\xb0\x17\x00\x08\x08\x05\x00\x00\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
    dd bs=4 count=1 <&3 2>/dev/null | od -An -tx1' _ "$PORT" 2>/dev/null) || return 1
  reply=$(printf '%s' "$reply" | tr -d ' \n')
  [ "${#reply}" -eq 8 ] && [ "$reply" != "00000000" ]
}

find_python() {  # a python that can import the neo4j driver (optional)
  local py
  for py in "${KJQG_NEO4J_PYTHON:-}" "$REPO_DIR/.venv/bin/python" python3; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null 2>&1 || continue
    "$py" -c 'import neo4j' >/dev/null 2>&1 && { printf '%s\n' "$py"; return 0; }
  done
  return 1
}

show_logs() {
  log "---- tail of $CONSOLE_LOG ----"
  tail -n 40 "$CONSOLE_LOG" >&2 2>/dev/null || true
  if [ -f "$NHOME/logs/debug.log" ]; then
    log "---- ERRORs in $NHOME/logs/debug.log ----"
    grep -E ' (ERROR|FATAL) ' "$NHOME/logs/debug.log" | tail -n 20 >&2 || true
  fi
}

pw_digest() { printf '%s' "$PASSWORD" | sha256sum | cut -d' ' -f1; }

# ---------------------------------------------------------------- home
write_conf() {
  mkdir -p "$NHOME/conf" "$NHOME/logs" "$NHOME/run" "$NHOME/plugins" "$NHOME/data" "$NHOME/import"
  # Regenerated on every start so env overrides (port, memory) apply.
  cat >"$NHOME/conf/neo4j.conf" <<EOF
# Generated by scripts/neo4j.sh -- edits are overwritten on the next start.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.advertised_address=127.0.0.1:$PORT
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false

# Sized for a 2-core / 24 GB machine: the page cache holds the whole store of the 1M synthetic
# graph (~2 GB), the heap the transaction state of 20k-row push batches and the 1M questions.
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
db.tx_state.memory_allocation=$TX_STATE

dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.directories.import=import
db.tx_log.rotation.retention_policy=2 files

# Faster stop: Netty's graceful-shutdown quiet period (default 5 s, waited
# twice) only delays the exit of a server that has already closed its databases.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
EOF
  # Extra settings, one per line (to measure a setting without editing this script).
  if [ -n "${KJQG_NEO4J_EXTRA_CONF:-}" ]; then printf '%s\n' "$KJQG_NEO4J_EXTRA_CONF" >>"$NHOME/conf/neo4j.conf"; fi
}

init_home() {
  write_conf
  local marker="$NHOME/run/password.sha256"
  if [ -f "$NHOME/data/dbms/auth.ini" ] || [ -d "$NHOME/data/databases/system" ]; then
    # Already initialised: refuse a different password instead of failing later with AuthError.
    if [ -f "$marker" ] && [ "$(cat "$marker")" != "$(pw_digest)" ]; then
      die "$NHOME was initialised with a different KJQG_NEO4J_PASSWORD; use that one, or stop and delete $NHOME"
    fi
    return 0
  fi
  log "initialising $NHOME (setting the initial password for user 'neo4j')"
  # The password goes through a picocli @argument-file (mode 600, deleted
  # right after), so it is neither printed nor visible in `ps`.
  local argfile="$NHOME/run/set-password.args" esc
  esc=$(printf '%s' "$PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
  ( umask 077; printf '"%s"\n' "$esc" >"$argfile" )
  local rc=0 out
  out=$(cd "$NHOME" && NEO4J_HOME="$NHOME" NEO4J_CONF="$NHOME/conf" \
        "$JAVA" -cp "$LIB_DIR/*" org.neo4j.server.startup.Neo4jAdminCommand \
        dbms set-initial-password "@$argfile" 2>&1) || rc=$?
  rm -f "$argfile"
  if [ $rc -ne 0 ] || [ ! -f "$NHOME/data/dbms/auth.ini" ]; then
    printf '%s\n' "$out" | tail -n 20 >&2
    die "neo4j-admin dbms set-initial-password failed (rc=$rc)"
  fi
  ( umask 077; pw_digest >"$marker" )
}

# ---------------------------------------------------------------- commands
cmd_start() {
  local pid
  if pid=$(running_pid); then
    log "already running (pid $pid, bolt://127.0.0.1:$PORT)"
    return 0
  fi
  rm -f "$PID_FILE"
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or KJQG_NEO4J_JAVA)"
  if port_open; then
    die "port 127.0.0.1:$PORT is already in use by another process (set KJQG_NEO4J_PORT)"
  fi
  fetch
  init_home

  local t0=$SECONDS
  # JVM flags as in the Neo4j distribution's default neo4j.conf (server.jvm.additional).
  local -a jvm=(
    -Xms"$HEAP" -Xmx"$HEAP" -Dfile.encoding=UTF-8
    -XX:+Use"$GC"GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC
    -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields
    -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
    -Dlog4j2.disable.jmx=true -Djdk.tls.ephemeralDHKeySize=2048
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
  )
  # shellcheck disable=SC2206  # extra JVM flags are intentionally word-split
  [ -n "${KJQG_NEO4J_JAVA_OPTS:-}" ] && jvm+=(${KJQG_NEO4J_JAVA_OPTS})
  {
    printf '==== %s neo4j.sh start (Neo4j %s, port %s)\n' "$(date '+%F %T')" "$NEO4J_VERSION" "$PORT"
  } >>"$CONSOLE_LOG"
  local -a detach=(nohup)
  command -v setsid >/dev/null 2>&1 && detach=(setsid nohup)
  (
    cd "$NHOME"
    # The password variable is not needed by the server.
    unset KJQG_NEO4J_PASSWORD
    exec "${detach[@]}" "$JAVA" "${jvm[@]}" -cp "$NHOME/conf/*:$LIB_DIR/*" "$MAIN_CLASS" \
      --home-dir="$NHOME" --config-dir="$NHOME/conf" --console-mode \
      </dev/null >>"$CONSOLE_LOG" 2>&1
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  log "started pid $pid, waiting for Bolt on 127.0.0.1:$PORT (timeout ${START_TIMEOUT}s) ..."

  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_logs
      rm -f "$PID_FILE"
      die "Neo4j exited during startup"
    fi
    if port_open && bolt_answers; then break; fi
    if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
      show_logs
      log "timed out after ${START_TIMEOUT}s; stopping pid $pid"
      cmd_stop || true
      exit 1
    fi
    sleep 0.5
  done

  # Optional end-to-end check with the Python driver (also proves the password works).
  local py
  if py=$(find_python); then
    if ! NEO4J_URI="bolt://127.0.0.1:$PORT" KJQG_NEO4J_PASSWORD="$PASSWORD" "$py" - <<'PY'
import os, sys
from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, DriverError
try:
    with GraphDatabase.driver(os.environ["NEO4J_URI"],
                              auth=("neo4j", os.environ["KJQG_NEO4J_PASSWORD"])) as d:
        d.verify_connectivity()
except (Neo4jError, DriverError) as e:
    print(f"driver check failed: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
PY
    then
      die "Bolt is up (pid $pid) but the Python driver check failed (wrong KJQG_NEO4J_PASSWORD for $NHOME?)"
    fi
  fi
  log "Bolt ready at bolt://127.0.0.1:$PORT after $((SECONDS - t0))s (pid $pid, home $NHOME)"
}

cmd_stop() {
  local pid i
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping pid $pid ..."
  kill -TERM "$pid" 2>/dev/null || true
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$i" -ge $((STOP_TIMEOUT * 2)) ]; then
      log "still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.5
    i=$((i + 1))
  done
  # Reap the zombie if the process was started by this very shell (start timeout path).
  wait "$pid" 2>/dev/null || true
  if kill -0 "$pid" 2>/dev/null; then die "pid $pid did not exit"; fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid=$(running_pid); then
    echo "running (pid $pid, bolt://127.0.0.1:$PORT, home $NHOME)"
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_env() {
  echo "# Neo4j $NEO4J_VERSION Community (scripts/neo4j.sh). Password: use \$KJQG_NEO4J_PASSWORD"
  echo "# (the script's default applies when unset); it is deliberately not printed here."
  echo "export NEO4J_URI=bolt://127.0.0.1:$PORT"
  echo "export NEO4J_USERNAME=neo4j"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  fetch) fetch ;;
  *) echo "usage: $0 start|stop|status|env|fetch" >&2; exit 2 ;;
esac
