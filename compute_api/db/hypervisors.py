"""What the servers of a compute host use, for os-hypervisors (one aggregate query per call)."""
import sqlalchemy as sa

from compute_api.db import models

INST = models.instances


def _on_host(query, host):
    return query.where(INST.c.host == host).where(INST.c.deleted == sa.false())


def usage(conn, host):
    """{'running_vms', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'current_workload'} of the
    host's live servers (the workload: those with a task under way)."""
    row = conn.execute(_on_host(sa.select(
        sa.func.count().label('running_vms'),
        sa.func.coalesce(sa.func.sum(INST.c.vcpus), 0).label('vcpus_used'),
        sa.func.coalesce(sa.func.sum(INST.c.memory_mb), 0).label('memory_mb_used'),
        sa.func.coalesce(sa.func.sum(INST.c.root_gb + INST.c.ephemeral_gb), 0).label('local_gb_used'),
        sa.func.count(INST.c.task_state).label('current_workload'),
    ), host)).mappings().one()
    return {key: int(value) for key, value in row.items()}


def servers(conn, host):
    """(id, uuid) of the host's live servers, oldest first."""
    return conn.execute(_on_host(sa.select(INST.c.id, INST.c.uuid), host)
                        .order_by(INST.c.created_at, INST.c.id)).all()
