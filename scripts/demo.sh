#!/usr/bin/env bash
# The main job on embedded defaults: installs what is needed, builds the UI, starts simulated OHT-50 units,
# registers them in a demo data folder, diagnoses them, prints a summary and serves the UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build:renderer >/dev/null
exec node bin/ohtw.js demo "$@"
