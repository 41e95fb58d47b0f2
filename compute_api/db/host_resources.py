"""What a compute host's live servers use, per project, for os-hosts (one grouped query)."""
import sqlalchemy as sa

from compute_api.db import models

INST = models.instances


def usage_by_project(conn, host):
    """[(project_id, vcpus, memory_mb, disk_gb)] of the host's live servers, in the order each
    project's first server was created."""
    query = (sa.select(INST.c.project_id, sa.func.sum(INST.c.vcpus), sa.func.sum(INST.c.memory_mb),
                       sa.func.sum(INST.c.root_gb + INST.c.ephemeral_gb), sa.func.min(INST.c.id).label('first'))
             .where(INST.c.host == host).where(INST.c.deleted == sa.false())
             .group_by(INST.c.project_id).order_by('first'))
    return [(row[0], int(row[1]), int(row[2]), int(row[3])) for row in conn.execute(query)]
