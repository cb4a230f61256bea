"""A scratch schema on a PostgreSQL server, for the tests (tests/conftest.py's postgres_schema) and the benchmarks
(bench_workshop, bench_cumulative --postgres): one copy of what each of them wrote out."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from proofing.store import _dispose_engine


@contextmanager
def scratch_schema(base: str, prefix: str) -> Iterator[str]:
    """A URL of a new, empty schema (``<prefix>_<random>``) on the server at `base`, its connections' search path
    set to it; afterwards the store's engine on it is let go and the schema dropped with all it holds."""
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    try:
        yield url
    finally:
        _dispose_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
