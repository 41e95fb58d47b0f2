"""Migration records (nova's migrations table, os-migrations): one row per resize of a server,
its status following the resize. Callers hold the transaction."""
import sqlalchemy as sa

from compute_api.db import models

M = models.migrations


def start(conn, uuid, host, node, old_flavor_pk, new_flavor_pk, now):
    """A resize of server `uuid` on this host, in nova's first status."""
    conn.execute(M.insert().values(
        instance_uuid=uuid, migration_type='resize', status='pre-migrating', source_compute=host,
        dest_compute=host, source_node=node, dest_node=node, dest_host=host,
        old_instance_type_id=old_flavor_pk, new_instance_type_id=new_flavor_pk, created_at=now, updated_at=now))


def advance(conn, uuid, statuses, status, now):
    """Move the server's newest migration to `status` if it is in one of `statuses`."""
    newest = conn.execute(sa.select(M.c.id, M.c.status).where(M.c.instance_uuid == uuid)
                          .order_by(M.c.id.desc()).limit(1)).first()
    if newest is not None and newest.status in statuses:
        conn.execute(M.update().where(M.c.id == newest.id).values(status=status, updated_at=now))


def list_migrations(conn, filters):
    """Migrations, newest first; filters: status, instance_uuid, source_compute, host (either end)."""
    query = sa.select(M)
    for key in ('status', 'instance_uuid', 'source_compute'):
        if filters.get(key) is not None:
            query = query.where(M.c[key] == filters[key])
    if filters.get('host') is not None:
        query = query.where(sa.or_(M.c.source_compute == filters['host'], M.c.dest_compute == filters['host']))
    return conn.execute(query.order_by(M.c.created_at.desc(), M.c.id.desc())).mappings().all()
