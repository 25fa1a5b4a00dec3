"""Alembic environment: runs on the connection `sitrep.store.open_store` hands over."""

from __future__ import annotations

from typing import Any

from alembic import context

from sitrep.store.schema import metadata

# The full-text index is created by hand in 0001 and is not part of the metadata.
FULL_TEXT_TABLE_PREFIX = "events_fts"


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    return not (type_ == "table" and (name or "").startswith(FULL_TEXT_TABLE_PREFIX))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
