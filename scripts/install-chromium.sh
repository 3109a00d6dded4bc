#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (playwright-core drives /usr/bin/chromium; it
# downloads no browser of its own). Idempotent: does nothing when a working chromium is there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

# Debian's wrapper script may print shell noise on --version; only the exit status matters.
if [ -x "$CHROMIUM" ] && "$CHROMIUM" --version >/dev/null 2>&1; then
  exit 0
fi

# An empty prefix when root; the ${a[@]+…} form below keeps `set -u` quiet on an empty array.
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "chromium is missing at $CHROMIUM and installing it needs root: run as root, or install sudo," >&2
  echo "or install it yourself: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi

echo "installing chromium (apt) for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
${as_root[@]+"${as_root[@]}"} apt-get update
${as_root[@]+"${as_root[@]}"} apt-get install -y --no-install-recommends chromium

if ! "$CHROMIUM" --version >/dev/null 2>&1; then
  echo "chromium was installed but $CHROMIUM --version fails" >&2
  exit 1
fi
