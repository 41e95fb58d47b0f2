"""Flavor queries."""
import functools

import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import paging
from compute_api.db import store as store_mod

F = models.flavors

SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public',
             'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus')


def _visibility(project_id, is_public):
    """Nova's rule: is_public=True also shows private flavors the project was given access to.
    The project is the `project_id` bind parameter."""
    if is_public is None:
        return sa.true()
    if is_public and project_id is not None:
        granted = sa.select(models.flavor_projects.c.flavor_id).where(
            models.flavor_projects.c.project_id == sa.bindparam('project_id'))
        return sa.or_(F.c.is_public == sa.true(), F.c.id.in_(granted))
    return F.c.is_public == sa.true() if is_public else F.c.is_public == sa.false()


# Built once (a server create reads it): building a statement costs more than running it.
_BY_FLAVORID = sa.select(F).where(F.c.flavorid == sa.bindparam('flavorid'))
_VISIBLE_BY_FLAVORID = _BY_FLAVORID.where(_visibility('', True))


def get_by_flavorid(conn, flavorid, project_id=None, is_admin=True):
    if is_admin:
        query = _BY_FLAVORID
    elif project_id is None:
        query = _BY_FLAVORID.where(_visibility(None, True))
    else:
        query = _VISIBLE_BY_FLAVORID
    return conn.execute(query, {'flavorid': flavorid, 'project_id': project_id}).mappings().first()


@functools.lru_cache(maxsize=512)
def _list_statement(scoped, is_public, disabled, min_ram, min_disk, sort_key, sort_dir, limit):
    """A listing's statement without its marker, values as bind parameters: built once per shape
    (building one costs more than running it), whatever the project or the values asked for."""
    query = sa.select(F).where(_visibility('' if scoped else None, is_public))
    if disabled is not None:
        query = query.where(F.c.disabled == disabled)
    if min_ram:
        query = query.where(F.c.memory_mb >= sa.bindparam('min_ram'))
    if min_disk:
        query = query.where(F.c.root_gb >= sa.bindparam('min_disk'))
    query = query.order_by(*paging.order_by(_sort_columns(sort_key, sort_dir)))
    if limit:
        query = query.limit(sa.bindparam('limit', type_=sa.Integer))
    return query


def _sort_columns(sort_key, sort_dir):
    sort_columns = [(F.c[sort_key], sort_dir)]
    if sort_key != 'id':
        sort_columns.append((F.c.id, sort_dir))
    return sort_columns


def list_flavors(conn, project_id, is_public=True, disabled=None, min_ram=None, min_disk=None,
                 sort_key='flavorid', sort_dir='asc', limit=None, marker=None):
    """Flavors in order; `marker` is a flavorid that must be visible (None when not found)."""
    query = _list_statement(project_id is not None, is_public, disabled, min_ram is not None,
                            min_disk is not None, sort_key, sort_dir, limit is not None)
    params = {'project_id': project_id, 'min_ram': min_ram, 'min_disk': min_disk, 'limit': limit}
    if marker is not None:
        marker_row = conn.execute(sa.select(F).where(F.c.flavorid == marker)
                                  .where(_visibility(project_id, is_public)), params).mappings().first()
        if marker_row is None:
            return None
        sort_columns = _sort_columns(sort_key, sort_dir)
        query = query.where(paging.after_marker(sort_columns, [marker_row[c.name] for c, _d in sort_columns]))
    return conn.execute(query, params).mappings().all()


# -- flavor management (admin) ---------------------------------------------------------------------

def find_duplicate(conn, flavorid, name):
    """'id' or 'name' when a flavor already has this flavorid or name, else None."""
    rows = conn.execute(sa.select(F.c.flavorid, F.c.name).where(
        sa.or_(F.c.flavorid == flavorid, F.c.name == name))).all()
    if any(row.flavorid == flavorid for row in rows):
        return 'id'
    return 'name' if rows else None


def create(conn, values):
    """Insert a flavor (values: the flavors columns but id/created_at); returns the new row."""
    conn.execute(F.insert().values(created_at=store_mod.utcnow(), **values))
    return conn.execute(sa.select(F).where(F.c.flavorid == values['flavorid'])).mappings().one()


def delete(conn, flavorid):
    """Delete a flavor (its extra specs and access go with it); False when there was none."""
    return conn.execute(F.delete().where(F.c.flavorid == flavorid)).rowcount == 1


ES = models.flavor_extra_specs
FP = models.flavor_projects


def extra_specs(conn, flavor_pk):
    rows = conn.execute(sa.select(ES.c.key, ES.c.value).where(ES.c.flavor_id == flavor_pk).order_by(ES.c.key))
    return dict(rows.all())


def set_extra_specs(conn, flavor_pk, specs):
    """Add or overwrite the given extra specs."""
    existing = set(conn.execute(sa.select(ES.c.key).where(ES.c.flavor_id == flavor_pk)
                                .where(ES.c.key.in_(list(specs)))).scalars())
    for key in existing:
        conn.execute(ES.update().where(ES.c.flavor_id == flavor_pk).where(ES.c.key == key)
                     .values(value=specs[key]))
    new = [{'flavor_id': flavor_pk, 'key': key, 'value': value} for key, value in specs.items()
           if key not in existing]
    if new:
        conn.execute(ES.insert(), new)


def delete_extra_spec(conn, flavor_pk, key):
    return conn.execute(ES.delete().where(ES.c.flavor_id == flavor_pk).where(ES.c.key == key)).rowcount == 1


def access_projects(conn, flavor_pk):
    return list(conn.execute(sa.select(FP.c.project_id).where(FP.c.flavor_id == flavor_pk)
                             .order_by(FP.c.project_id)).scalars())


def has_access(conn, flavor_pk, project_id):
    return conn.execute(sa.select(FP.c.id).where(FP.c.flavor_id == flavor_pk)
                        .where(FP.c.project_id == project_id)).first() is not None


def add_access(conn, flavor_pk, project_id):
    conn.execute(FP.insert().values(flavor_id=flavor_pk, project_id=project_id))


def remove_access(conn, flavor_pk, project_id):
    return conn.execute(FP.delete().where(FP.c.flavor_id == flavor_pk)
                        .where(FP.c.project_id == project_id)).rowcount == 1
