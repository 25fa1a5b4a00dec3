"""Alembic environment: runs on the connection `sitrep.store.open_store` hands over."""

from __future__ import annotations

from alembic import context

from sitrep.store.schema import include_in_migrations, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_in_migrations,
)
with context.begin_transaction():
    context.run_migrations()
