#!/usr/bin/env bash
# Write the strategy's report card of the quarter before DAY (default: today), in English and in Welsh:
#
#   deploy/report-card.sh FOLDER [DAY]
#
# run on 2027-04-01 it writes FOLDER/report-card-2027Q1.docx and FOLDER/report-card-2027Q1-cy.docx with
# `proofing report --quarter 2027Q1`, from the database PROOFING_DB_URL names. proofing-report-card.timer runs it
# on the first day of each quarter (deploy/systemd/). `proofing` is the one beside this script's checkout
# (.venv/bin/proofing), else the one on PATH.
set -euo pipefail

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: deploy/report-card.sh FOLDER [YYYY-MM-DD]" >&2; exit 2; }
FOLDER=$1
DAY=${2:-$(date +%F)}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PROOFING=$HERE/.venv/bin/proofing
[[ -x $PROOFING ]] || PROOFING=$(command -v proofing) || { echo "report-card.sh: no proofing command (.venv/bin/proofing)" >&2; exit 1; }

MONTH=$(date -d "$DAY" +%-m)
START=$(date -d "$DAY" +%Y)-$(printf %02d $(((MONTH - 1) / 3 * 3 + 1)))-01  # the first day of DAY's quarter
YEAR=$(date -d "$START -1 day" +%Y)
MONTH=$(date -d "$START -1 day" +%-m)
QUARTER=${YEAR}Q$(((MONTH + 2) / 3))
mkdir -p "$FOLDER"
"$PROOFING" report --quarter "$QUARTER" --docx "$FOLDER/report-card-$QUARTER.docx"
"$PROOFING" report --quarter "$QUARTER" --docx "$FOLDER/report-card-$QUARTER-cy.docx" --lang cy
