#!/usr/bin/env bash
# Install Debian's Chromium for the browser test when it is missing (the Playwright browser download
# cannot work here; the test launches /usr/bin/chromium).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "tools/chromium.sh: Chromium is missing; run as root or: sudo apt-get install chromium" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
