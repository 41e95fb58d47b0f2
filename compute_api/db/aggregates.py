"""Host aggregate queries: aggregates, aggregate_hosts and aggregate_metadata."""
import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import store as store_mod

A = models.aggregates
H = models.aggregate_hosts
M = models.aggregate_metadata


def list_aggregates(conn, aggregate_id=None):
    """Aggregates by id (only `aggregate_id` when given), each with hosts and metadata (three
    queries whatever the count)."""
    query = sa.select(A).order_by(A.c.id)
    if aggregate_id is not None:
        query = query.where(A.c.id == aggregate_id)
    aggregates = [dict(row, hosts=[], metadata={}) for row in conn.execute(query).mappings()]
    by_id = {aggregate['id']: aggregate for aggregate in aggregates}
    if not by_id:
        return aggregates
    for row in conn.execute(sa.select(H.c.aggregate_id, H.c.host).where(H.c.aggregate_id.in_(list(by_id)))
                            .order_by(H.c.id)):
        by_id[row.aggregate_id]['hosts'].append(row.host)
    for row in conn.execute(sa.select(M.c.aggregate_id, M.c.key, M.c.value).where(M.c.aggregate_id.in_(list(by_id)))
                            .order_by(M.c.key)):
        by_id[row.aggregate_id]['metadata'][row.key] = row.value
    return aggregates


def get(conn, aggregate_id):
    found = list_aggregates(conn, aggregate_id)
    return found[0] if found else None


def name_taken(conn, name, but=None):
    query = sa.select(A.c.id).where(A.c.name == name)
    if but is not None:
        query = query.where(A.c.id != but)
    return conn.execute(query).first() is not None


def create(conn, name):
    return conn.execute(A.insert().values(name=name, created_at=store_mod.utcnow())).inserted_primary_key[0]


def rename(conn, aggregate_id, name):
    conn.execute(A.update().where(A.c.id == aggregate_id).values(name=name, updated_at=store_mod.utcnow()))


def touch(conn, aggregate_id):
    conn.execute(A.update().where(A.c.id == aggregate_id).values(updated_at=store_mod.utcnow()))


def delete(conn, aggregate_id):
    conn.execute(M.delete().where(M.c.aggregate_id == aggregate_id))
    conn.execute(H.delete().where(H.c.aggregate_id == aggregate_id))
    conn.execute(A.delete().where(A.c.id == aggregate_id))


def add_host(conn, aggregate_id, host):
    conn.execute(H.insert().values(aggregate_id=aggregate_id, host=host))


def remove_host(conn, aggregate_id, host):
    conn.execute(H.delete().where(H.c.aggregate_id == aggregate_id).where(H.c.host == host))


def update_metadata(conn, aggregate_id, current, changes):
    """Apply {key: value or None (remove)} to the aggregate's metadata `current`."""
    removed = [key for key, value in changes.items() if value is None and key in current]
    if removed:
        conn.execute(M.delete().where(M.c.aggregate_id == aggregate_id).where(M.c.key.in_(removed)))
    for key, value in sorted(changes.items()):
        if value is None:
            continue
        if key in current:
            conn.execute(M.update().where(M.c.aggregate_id == aggregate_id).where(M.c.key == key)
                         .values(value=value))
        else:
            conn.execute(M.insert().values(aggregate_id=aggregate_id, key=key, value=value))
