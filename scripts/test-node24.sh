#!/usr/bin/env bash
# The test subset CI runs on Node.js 24 (the current LTS) besides the whole suite on the machine's
# Node 20: everything the runtime could change — the pure rules (machines, domain), the workflows
# in Temporal's sandbox (dev server, time-skipping server, replay), payload encryption, both
# databases, the HTTP API and the server-rendered pages over HTTP. Left out: the browser tests and
# the long end-to-end runs, which exercise chromium and the CLI more than Node.
#   bash scripts/test-node24.sh [more vitest args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-temporal.sh
bash scripts/install-ci-tools.sh node24
# `node` is Node 24 for vitest and every process it starts (forks use the same binary).
export PATH="$root/.tools/node24-bin:$PATH"
echo "node $(node --version)" >&2
case "$(node --version)" in v24.*) ;; *) echo "expected Node.js 24" >&2; exit 1 ;; esac
exec node node_modules/vitest/vitest.mjs run \
  test/machines test/domain test/workflows test/temporal test/db test/api test/ui/pages.http.test.ts \
  "$@"
