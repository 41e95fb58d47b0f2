"""Flavor queries."""
import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import paging

F = models.flavors

SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public',
             'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus')


def _visibility(project_id, is_public):
    """Nova's rule: is_public=True also shows private flavors the project was given access to."""
    if is_public is None:
        return sa.true()
    if is_public and project_id is not None:
        granted = sa.select(models.flavor_projects.c.flavor_id).where(
            models.flavor_projects.c.project_id == project_id)
        return sa.or_(F.c.is_public == sa.true(), F.c.id.in_(granted))
    return F.c.is_public == sa.true() if is_public else F.c.is_public == sa.false()


def get_by_flavorid(conn, flavorid, project_id=None, is_admin=True):
    query = sa.select(F).where(F.c.flavorid == flavorid)
    if not is_admin:
        query = query.where(_visibility(project_id, True))
    return conn.execute(query).mappings().first()


def list_flavors(conn, project_id, is_public=True, disabled=None, min_ram=None, min_disk=None,
                 sort_key='flavorid', sort_dir='asc', limit=None, marker=None):
    """Flavors in order; `marker` is a flavorid that must be visible (None when not found)."""
    query = sa.select(F).where(_visibility(project_id, is_public))
    if disabled is not None:
        query = query.where(F.c.disabled == disabled)
    if min_ram is not None:
        query = query.where(F.c.memory_mb >= min_ram)
    if min_disk is not None:
        query = query.where(F.c.root_gb >= min_disk)
    sort_columns = [(F.c[sort_key], sort_dir)]
    if sort_key != 'id':
        sort_columns.append((F.c.id, sort_dir))
    if marker is not None:
        marker_row = conn.execute(sa.select(F).where(F.c.flavorid == marker)
                                  .where(_visibility(project_id, is_public))).mappings().first()
        if marker_row is None:
            return None
        query = query.where(paging.after_marker(sort_columns, [marker_row[c.name] for c, _d in sort_columns]))
    query = query.order_by(*paging.order_by(sort_columns))
    if limit is not None:
        query = query.limit(limit)
    return conn.execute(query).mappings().all()
