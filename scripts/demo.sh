#!/usr/bin/env bash
# The main job on embedded defaults: installs what is needed, builds the UI, starts simulated OHT-50 units,
# registers them in a demo data folder, diagnoses them, prints a summary and serves the UI. Where PostgreSQL is
# installed, a team server is started too (in a temporary folder, on a free port on 127.0.0.1, stopped at the end)
# and the demo laptop joins it; otherwise the demo says how to get one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build:renderer >/dev/null

team_args=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -n "$pg_bin" && -x "$pg_bin/initdb" ]]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/ohtw-demo-team.XXXXXX")
  chmod 755 "$pg_dir"
  as_pg=()
  # PostgreSQL refuses to run as root: as root, the server runs as the package's own postgres account.
  if [[ $(id -u) == 0 ]]; then
    chown postgres: "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  export OHTW_TEAM_PASSWORD="${OHTW_TEAM_PASSWORD:-demo-team-$RANDOM$RANDOM}"
  (umask 077 && printf '%s\n' "$OHTW_TEAM_PASSWORD" >"$pg_dir/pw")
  [[ $(id -u) == 0 ]] && chown postgres: "$pg_dir/pw"
  pg_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U ohtw_demo --pwfile="$pg_dir/pw" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-sync >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir" start >/dev/null
  trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
  team_args=(--team "postgres://ohtw_demo@127.0.0.1:$pg_port/postgres")
else
  echo "demo: PostgreSQL is not installed, so there is no team server in this demo (sudo apt-get install postgresql)" >&2
fi

node bin/ohtw.js demo "${team_args[@]}" "$@"
