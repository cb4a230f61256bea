#!/usr/bin/env bash
# Restore a backup deploy/backup.sh wrote into an empty database.
#
#   deploy/restore.sh FILE URL
#
#   FILE  the backup (pg_dump's custom format)
#   URL   an empty database, connecting as the role that is to own the schema (proofing_owner), as PROOFING_DB_URL
#         writes it or as libpq does; the password comes from ~/.pgpass or PGPASSWORD
#
# Everything is restored in one transaction, stopping at the first error, so a restore either completes or leaves
# the database as it was: a database that already has the schema is refused (CREATE SCHEMA fails), never merged
# into. The restored tables, triggers and functions belong to the role URL connects as (--no-owner: the owner's
# name may differ from the old server's); the grants to the app's role are restored with them, so that role must
# exist on the server first (README, Deployment). The README and tests/test_backup_restore.py run this very script.
#
# pg_restore is found as deploy/backup.sh finds pg_dump (PG_BINDIR, else the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

say() { echo "restore.sh: $*" >&2; }
[[ $# -eq 2 ]] || { say "usage: deploy/restore.sh FILE URL"; exit 2; }
FILE=$1
URL=${2/#postgresql+psycopg:/postgresql:}

program() {
    local dir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
    if [[ -n $dir && -x $dir/$1 ]]; then echo "$dir/$1"; else command -v "$1" || { say "$1 is not installed (apt-get install postgresql-client)"; exit 1; }; fi
}

"$(program pg_restore)" --dbname="$URL" --exit-on-error --single-transaction --no-owner "$FILE"
say "restored $FILE"
