"""Server group queries: server_groups and server_group_members.

Group ids in the API are the groups' uuids; the integer id only links the members. A group's
members are its servers that are not deleted.
"""
import uuid

import sqlalchemy as sa

from compute_api import exception
from compute_api.db import models
from compute_api.db import store as store_mod

G = models.server_groups
M = models.server_group_members
INST = models.instances


def _scoped(query, project_id):
    return query if project_id is None else query.where(G.c.project_id == project_id)


def get(conn, group_uuid, project_id=None):
    """The group (only in `project_id` when given), or None."""
    return conn.execute(_scoped(sa.select(G).where(G.c.uuid == group_uuid), project_id)).mappings().first()


def list_groups(conn, project_id=None, limit=None, offset=0):
    """Groups oldest first (of one project, or all when project_id is None)."""
    query = _scoped(sa.select(G), project_id).order_by(G.c.created_at, G.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return conn.execute(query).mappings().all()


def members(conn, group_ids):
    """{group id: [uuids of its live servers, in the order they joined]} for the given integer ids."""
    result = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return result
    rows = conn.execute(sa.select(M.c.group_id, M.c.instance_uuid)
                        .join(INST, INST.c.uuid == M.c.instance_uuid)
                        .where(M.c.group_id.in_(group_ids)).where(INST.c.deleted == sa.false())
                        .order_by(M.c.id))
    for group_id, instance_uuid in rows:
        result[group_id].append(instance_uuid)
    return result


def count_in_project(conn, project_id, locking=False):
    """The project's groups; `locking` reads the latest committed rows on MariaDB/MySQL, whose
    REPEATABLE READ snapshot would not (call it under the quota lock)."""
    query = sa.select(sa.func.count()).select_from(G).where(G.c.project_id == project_id)
    if locking and conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)
    return conn.execute(query).scalar_one()


def create(conn, project_id, user_id, name, policy):
    values = {'uuid': str(uuid.uuid4()), 'project_id': project_id, 'user_id': user_id, 'name': name,
              'policy': policy, 'created_at': store_mod.utcnow()}
    conn.execute(G.insert().values(**values))
    return get(conn, values['uuid'])


def delete(conn, group_uuid, project_id=None):
    """Whether the group existed (in `project_id` when given) and was deleted, members and all."""
    group = get(conn, group_uuid, project_id)
    if group is None:
        return False
    conn.execute(M.delete().where(M.c.group_id == group['id']))
    conn.execute(G.delete().where(G.c.id == group['id']))
    return True


def add_member(conn, group_id, instance_uuid):
    """Put a server into a group (the os:scheduler_hints `group` of a create), in the caller's
    transaction, after the server's row was inserted. `group_id` is the group's uuid, as the API
    shows it; InstanceGroupNotFound when there is no such group. Returns the group's row (its
    'policy' says what placement it asks for)."""
    group = get(conn, group_id)
    if group is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_id)
    conn.execute(M.insert().values(group_id=group['id'], instance_uuid=instance_uuid))
    return group


def count_members(conn, group_id):
    """How many live servers the group (by uuid) has: for the server_group_members quota."""
    return conn.execute(sa.select(sa.func.count()).select_from(M).join(G, G.c.id == M.c.group_id)
                        .join(INST, INST.c.uuid == M.c.instance_uuid)
                        .where(G.c.uuid == group_id).where(INST.c.deleted == sa.false())).scalar_one()
