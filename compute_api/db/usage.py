"""The servers that ran during a period, deleted ones included (nova's get_active_by_window, less
servers that never launched: they used nothing)."""
import sqlalchemy as sa

from compute_api.db import models

INST = models.instances
F = models.flavors


def active_in_window(conn, start, stop, project_id=None):
    """Servers not terminated before `start` nor launched after `stop`, oldest first, each with its
    flavor's name (None when the flavor is gone)."""
    query = (sa.select(INST.c.uuid, INST.c.display_name, INST.c.project_id, INST.c.vm_state, INST.c.memory_mb,
                       INST.c.vcpus, INST.c.root_gb, INST.c.ephemeral_gb, INST.c.launched_at,
                       INST.c.terminated_at, F.c.name.label('flavor_name'))
             .select_from(INST.outerjoin(F, F.c.flavorid == INST.c.flavor_id))
             .where(sa.or_(INST.c.terminated_at.is_(None), INST.c.terminated_at > start))
             .where(INST.c.launched_at < stop)
             .order_by(INST.c.created_at, INST.c.id))
    if project_id is not None:
        query = query.where(INST.c.project_id == project_id)
    return conn.execute(query).mappings().all()
