#!/usr/bin/env bash
# Back up proofing's PostgreSQL schema: every assessment, version, approval, workshop and the audit trail.
#
#   deploy/backup.sh URL SCHEMA FILE
#
#   URL     the database, connecting as the schema's owner (the role that runs the migrations), as PROOFING_DB_URL
#           writes it (postgresql+psycopg://proofing_owner@db.council.example/proofing) or as libpq does
#           (postgresql://...); the password comes from ~/.pgpass or PGPASSWORD, never from this command line
#   SCHEMA  the schema proofing's tables are in (proofing)
#   FILE    the backup to write, in pg_dump's custom format (compressed; pg_restore reads it)
#
# The backup is one consistent snapshot (pg_dump reads the schema in one transaction), taken while the app runs.
# It holds the grants to the app's role (proofing_app), not the roles themselves: a server it is restored on
# has both roles already (README, Deployment). The README and tests/test_backup_restore.py run this very script.
#
# pg_dump must be as new as the server: PG_BINDIR names the folder of PostgreSQL's programs to use; else the newest
# /usr/lib/postgresql/*/bin (Debian's layout, as tools/postgres.sh finds it); else pg_dump on PATH.
set -euo pipefail

say() { echo "backup.sh: $*" >&2; }
[[ $# -eq 3 ]] || { say "usage: deploy/backup.sh URL SCHEMA FILE"; exit 2; }
URL=${1/#postgresql+psycopg:/postgresql:}
SCHEMA=$2
FILE=$3

program() {
    local dir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
    if [[ -n $dir && -x $dir/$1 ]]; then echo "$dir/$1"; else command -v "$1" || { say "$1 is not installed (apt-get install postgresql-client)"; exit 1; }; fi
}

"$(program pg_dump)" --dbname="$URL" --schema="$SCHEMA" --format=custom --file="$FILE"
"$(program pg_restore)" --list "$FILE" >/dev/null  # the file reads back whole
say "wrote $FILE (schema $SCHEMA)"
