"""Events per canonical actor in an event store, for `sitrep actors --db`.

Counts happenings (the one stored event that stands for each merged cluster),
each once per actor it names, whether as actor1 or actor2.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, union_all

from sitrep.store.schema import events


def events_per_actor(connection: Connection) -> dict[str, int]:
    """Canonical actor name -> number of stored happenings naming it, most first."""
    happenings = events.c.represents_cluster.is_(True)
    named = union_all(
        select(events.c.canonical_uid.label("uid"), events.c.actor1_name.label("name")).where(
            happenings, events.c.actor1_name.is_not(None)
        ),
        select(events.c.canonical_uid.label("uid"), events.c.actor2_name.label("name")).where(
            happenings, events.c.actor2_name.is_not(None)
        ),
    ).subquery()
    count = func.count(func.distinct(named.c.uid)).label("events")
    rows = connection.execute(
        select(named.c.name, count).group_by(named.c.name).order_by(count.desc(), named.c.name)
    )
    return {str(name): int(total) for name, total in rows if name}
