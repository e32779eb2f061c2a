#!/usr/bin/env bash
# The whole test suite: installs what it needs (system packages, npm ci), then type-check, lint, format check,
# the renderer build and every test (unit, integration against real sshd/SQLite/ptys, end to end in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
rm -f .tsbuild/vitest-report.json
status=0
npm test || status=$?
node scripts/summarize-tests.mjs .tsbuild/vitest-report.json
exit "$status"
