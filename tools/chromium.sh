#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing (the Playwright browser download cannot work
# here). The tests launch Debian's headless build of it, /usr/bin/chromium-headless-shell: the same Chromium without
# the windowed browser's layers, the build Playwright itself runs headless. It needs about half the CPU per page of
# the full browser in headless mode, which on a 2-core machine decides how long the suite takes.
set -euo pipefail
if [ -x /usr/bin/chromium-headless-shell ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "tools/chromium.sh: Chromium is missing; run as root or: sudo apt-get install chromium-headless-shell" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null
