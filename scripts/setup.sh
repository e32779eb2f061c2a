#!/usr/bin/env bash
# Installs what the workstation needs on Debian or Ubuntu: system packages through apt (when this user may),
# then the npm dependencies with `npm ci`. Safe to run again: it skips what is already in place.
#   scripts/setup.sh          what the app needs (build tools for the native modules), and builds the CLI
#   scripts/setup.sh --test   also what the test suite needs (OpenSSH server, sudo, socat, Chromium, Modbus tools,
#                             PostgreSQL for the team server; the tests start their own in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

packages=(build-essential python3 openssl ca-certificates)
if [[ $want_test == 1 ]]; then
  packages+=(openssh-server openssh-client sudo socat chromium python3-pymodbus python3-serial-asyncio mbpoll libmodbus-dev procps sqlite3 curl iproute2 poppler-utils postgresql)
fi
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [[ $(id -u) != 0 ]]; then
      if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=""; fi
    fi
    if [[ $(id -u) == 0 || -n "$SUDO" ]]; then
      echo "setup: installing ${missing[*]}"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: please install these packages (needs root): sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  else
    echo "setup: not a Debian/Ubuntu machine; install by hand: ${missing[*]}" >&2
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
  echo "setup: Node $(node --version) is too old; Node 20.19 or newer is needed" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install: a rebuild of the native modules takes a minute.
stamp=node_modules/.ohtw-lock-sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# The built CLI (dist/cli), so that `npx ohtw` starts in a tenth of a second instead of compiling TypeScript.
node scripts/build-cli.mjs --if-stale
