"""Server metadata queries (instance_metadata rows). Callers hold the transaction.

Every write is a bounded number of statements whatever the number of items: one read of the
current keys, then batched deletes, updates and inserts.
"""
import sqlalchemy as sa

from compute_api.db import models

M = models.instance_metadata


def get(conn, instance_uuid):
    """{key: value} of one server."""
    rows = conn.execute(sa.select(M.c.key, M.c.value).where(M.c.instance_uuid == instance_uuid)
                        .order_by(M.c.key)).all()
    return {key: value for key, value in rows}


def write(conn, instance_uuid, items, replace=False):
    """Set `items` on the server; with `replace`, also remove every other key. Returns the result."""
    current = get(conn, instance_uuid)
    if replace:
        stale = [key for key in current if key not in items]
        if stale:
            conn.execute(M.delete().where(M.c.instance_uuid == instance_uuid).where(M.c.key.in_(stale)))
    changed = [{'b_key': key, 'b_value': value} for key, value in items.items()
               if key in current and current[key] != value]
    if changed:
        conn.execute(M.update().where(M.c.instance_uuid == instance_uuid).where(M.c.key == sa.bindparam('b_key'))
                     .values(value=sa.bindparam('b_value')), changed)
    added = [{'instance_uuid': instance_uuid, 'key': key, 'value': value}
             for key, value in items.items() if key not in current]
    if added:
        conn.execute(M.insert(), added)
    result = {} if replace else current
    result.update(items)
    return result


def delete_item(conn, instance_uuid, key):
    """Remove one key; False when the server did not have it."""
    deleted = conn.execute(M.delete().where(M.c.instance_uuid == instance_uuid).where(M.c.key == key))
    return deleted.rowcount > 0
