#!/usr/bin/env bash
# Install Debian's GNU Aspell, its Welsh dictionary (aspell-cy) and Enchant (libenchant-2-2, with its aspell provider)
# when any is missing: `proofing translate check --lang cy` checks every Welsh text against that dictionary through
# pyenchant, which loads the Enchant library at import time and has no dictionaries of its own.
set -euo pipefail
if command -v aspell >/dev/null && aspell dicts 2>/dev/null | grep -qx cy && ldconfig -p | grep -q libenchant-2; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "tools/aspell.sh: the Welsh dictionary is missing; run as root or: sudo apt-get install aspell aspell-cy libenchant-2-2" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq aspell aspell-cy libenchant-2-2 >/dev/null
