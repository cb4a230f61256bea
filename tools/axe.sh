#!/usr/bin/env bash
# Install axe-core (the accessibility rules the browser tests inject into every page) from the npm registry
# into tools/axe/ when it is missing. Never from a CDN: the tests read tools/axe/node_modules/axe-core/axe.min.js.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/axe"
version="4.10.2"
if [ -f "$target/node_modules/axe-core/axe.min.js" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "tools/axe.sh: npm is missing; install Node.js (Debian: apt-get install npm)" >&2
  exit 1
fi
mkdir -p "$target"
npm install --prefix "$target" --no-audit --no-fund --silent "axe-core@$version" >/dev/null
test -f "$target/node_modules/axe-core/axe.min.js"
