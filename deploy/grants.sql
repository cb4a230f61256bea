-- What the app's role (proofing_app, which owns nothing) may do in proofing's schema (proofing), and no more:
-- read and change the tables, read and append to the audit trail, read the migrations' bookkeeping. Run by the
-- schema's owner after installing and after every upgrade (new tables need their grants):
--   psql "postgresql://proofing_owner@db.council.example/proofing" -v ON_ERROR_STOP=1 -f deploy/grants.sql
-- The same list as proofing.audit_chain.app_role_grants (tests/test_backup_restore.py keeps them one).
GRANT USAGE ON SCHEMA "proofing" TO "proofing_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "proofing" TO "proofing_app";
REVOKE ALL ON "proofing".alembic_version FROM "proofing_app";
GRANT SELECT ON "proofing".alembic_version TO "proofing_app";
REVOKE ALL ON "proofing".audit_entries FROM "proofing_app";
GRANT SELECT, INSERT ON "proofing".audit_entries TO "proofing_app";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA "proofing" TO "proofing_app";
