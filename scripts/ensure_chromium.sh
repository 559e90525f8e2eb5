#!/usr/bin/env bash
# Ensure headless Chromium + chromedriver (Debian packages) are installed for
# the browser tests (tests/browser.py). Idempotent: does nothing if both
# /usr/bin/chromium and /usr/bin/chromedriver already exist.
set -uo pipefail

CHROMIUM=/usr/bin/chromium
DRIVER=/usr/bin/chromedriver

die() { echo "ensure_chromium: ERROR: $*" >&2; exit 1; }

have_cjk() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n1)" ]; }
# Chinese names must render in the chain maps, so a CJK font is part of "installed".
have_all() { [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ] && have_cjk; }

report() {
    echo "ensure_chromium: $("$CHROMIUM" --version 2>/dev/null | tail -n1)"
    echo "ensure_chromium: $("$DRIVER" --version 2>/dev/null | tail -n1)"
}

if have_all; then
    report
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install chromium and chromium-driver (>= same version) manually"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        die "need root to install packages: run 'sudo apt-get update && sudo apt-get install -y chromium chromium-driver'"
    fi
fi

export DEBIAN_FRONTEND=noninteractive
# Wait (up to 10 min) for a concurrent apt/dpkg run instead of failing on the lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

echo "ensure_chromium: installing chromium chromium-driver (missing: $( [ -x "$CHROMIUM" ] || printf '%s ' "$CHROMIUM")$( [ -x "$DRIVER" ] || printf '%s' "$DRIVER"))"
"${SUDO[@]}" apt-get "${APT_OPTS[@]}" update -q || die "apt-get update failed"
# fonts-liberation is only a Recommends of chromium-common, but screenshots need real fonts;
# fonts-noto-cjk renders the Chinese names.
"${SUDO[@]}" apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends chromium chromium-driver fonts-liberation fonts-noto-cjk fontconfig \
    || die "apt-get install -y chromium chromium-driver failed"

have_all || die "packages installed but $CHROMIUM and/or $DRIVER still missing"
report
