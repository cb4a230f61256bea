"""Alembic migrations of the assessment store (see proofing.store), shipped inside the package.

proofing.store runs them programmatically (``alembic.command.upgrade(config, "head")``) the first time a
process uses a database, so the schema is only ever created and changed here, one numbered revision at a time.
"""
