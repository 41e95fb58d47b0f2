"""What the servers of a compute host use, for os-hypervisors (one aggregate query per call)."""
import sqlalchemy as sa

from compute_api.db import models

INST = models.instances


def _on_host(query, host):
    return query.where(INST.c.host == host).where(INST.c.deleted == sa.false())


USAGE_KEYS = ('running_vms', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'current_workload')


def usage_by_host(conn, locking=False):
    """{host: {'running_vms', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'current_workload'}}
    of every host's live servers (the workload: those with a task under way), in one query.
    `locking` reads with a shared lock where the database needs one to see the latest committed
    rows (MariaDB/MySQL under REPEATABLE READ; PostgreSQL refuses locks on an aggregate and
    needs none: each statement sees what committed before it)."""
    query = sa.select(
        INST.c.host,
        sa.func.count().label('running_vms'),
        sa.func.coalesce(sa.func.sum(INST.c.vcpus), 0).label('vcpus_used'),
        sa.func.coalesce(sa.func.sum(INST.c.memory_mb), 0).label('memory_mb_used'),
        sa.func.coalesce(sa.func.sum(INST.c.root_gb + INST.c.ephemeral_gb), 0).label('local_gb_used'),
        sa.func.count(INST.c.task_state).label('current_workload'),
    ).where(INST.c.host.is_not(None)).where(INST.c.deleted == sa.false()).group_by(INST.c.host)
    if locking and conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)
    rows = conn.execute(query).mappings()
    return {row['host']: {key: int(row[key]) for key in USAGE_KEYS} for row in rows}


def servers(conn, host):
    """(id, uuid) of the host's live servers, oldest first."""
    return conn.execute(_on_host(sa.select(INST.c.id, INST.c.uuid), host)
                        .order_by(INST.c.created_at, INST.c.id)).all()
