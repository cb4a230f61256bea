#!/usr/bin/env bash
# Install, from Debian, what the record's page-count test needs when any of it is missing: LibreOffice
# Writer (soffice converts the Word record to PDF), poppler-utils (pdfinfo counts the pages; pdftoppm
# draws them to look at) and the Liberation fonts (Arial's metrics, so pages break as they would in Word).
set -euo pipefail
if command -v soffice >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 \
  && fc-list 2>/dev/null | grep -qi "Liberation Sans"; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "tools/libreoffice.sh: LibreOffice, pdfinfo or the Liberation fonts are missing; run as root or:" \
    "sudo apt-get install libreoffice-writer poppler-utils fonts-liberation" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libreoffice-writer poppler-utils fonts-liberation fontconfig >/dev/null
