"""Security group queries: security_groups, security_group_rules and instance_security_groups.

A server's groups are rows of instance_security_groups (by group id, so a rename changes nothing
there). A group is in use while a live server has a row for it. Whoever makes a server use a group
holds a share lock on the group's row (lock_for_use) until it commits, and a delete takes the
row's exclusive lock (lock_for_delete) before it looks for users: the two never interleave.
"""
import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import store as store_mod

G = models.security_groups
R = models.security_group_rules
SG = models.instance_security_groups
INST = models.instances
DEFAULT = 'default'


def get(conn, group_id, project_id=None):
    """The group (only in `project_id` when given), or None."""
    query = sa.select(G).where(G.c.id == group_id)
    if project_id is not None:
        query = query.where(G.c.project_id == project_id)
    return conn.execute(query).mappings().first()


def get_by_name(conn, project_id, name):
    return conn.execute(sa.select(G).where(G.c.project_id == project_id).where(G.c.name == name)).mappings().first()


def list_groups(conn, project_id=None):
    """Groups ordered as nova shows them (tenant_id, name): of one project or, with None, all."""
    query = sa.select(G).order_by(G.c.project_id, G.c.name, G.c.id)
    if project_id is not None:
        query = query.where(G.c.project_id == project_id)
    return conn.execute(query).mappings().all()


def rules_of(conn, group_ids):
    """{group id: [its rules, each with group_name/group_project of a source group]} (one query)."""
    result = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return result
    source = G.alias('source')
    rows = conn.execute(sa.select(R, source.c.name.label('group_name'), source.c.project_id.label('group_project'))
                        .outerjoin(source, source.c.id == R.c.group_id)
                        .where(R.c.parent_group_id.in_(group_ids)).order_by(R.c.id)).mappings()
    for row in rows:
        result[row['parent_group_id']].append(dict(row))
    return result


def count_in_project(conn, project_id, locking=False):
    """The project's groups; `locking` reads the latest committed rows on MariaDB/MySQL (call it
    under the quota lock)."""
    query = sa.select(sa.func.count()).select_from(G).where(G.c.project_id == project_id)
    if locking and conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)
    return conn.execute(query).scalar_one()


def count_rules(conn, group_id, locking=False):
    query = sa.select(sa.func.count()).select_from(R).where(R.c.parent_group_id == group_id)
    if locking and conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)
    return conn.execute(query).scalar_one()


def create(conn, project_id, user_id, name, description):
    values = {'project_id': project_id, 'user_id': user_id, 'name': name, 'description': description,
              'created_at': store_mod.utcnow()}
    group_id = conn.execute(G.insert().values(**values)).inserted_primary_key[0]
    return dict(values, id=group_id, updated_at=None)


def ensure_default(conn, project_id, user_id):
    """Create the project's "default" group unless it exists (nova makes it on first use). Call
    it under the project's quota lock (compute.quotas.lock_project): creators queue there, and
    the locking read sees what the one before committed (MariaDB's snapshot would not)."""
    query = sa.select(G.c.id).where(G.c.project_id == project_id).where(G.c.name == DEFAULT)
    if conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)
    if conn.execute(query).first() is None:
        create(conn, project_id, user_id, DEFAULT, DEFAULT)


def rename(conn, group, name, description):
    conn.execute(G.update().where(G.c.id == group['id'])
                 .values(name=name, description=description, updated_at=store_mod.utcnow()))


def lock_for_use(conn, project_id, names):
    """{name: group} of the project's groups of those names, share-locked until the transaction
    ends (a concurrent delete of one waits; a group deleted first is simply absent)."""
    query = (sa.select(G).where(G.c.project_id == project_id).where(G.c.name.in_(sorted(names)))
             .with_for_update(read=True))
    return {row['name']: row for row in conn.execute(query).mappings()}


def lock_for_delete(conn, group_id):
    """Lock the group's row for deleting it (users of it commit first); False when it is gone."""
    return conn.execute(sa.select(G.c.id).where(G.c.id == group_id).with_for_update()).first() is not None


def in_use(conn, group_id):
    """Whether a live server has the group (call it under lock_for_delete)."""
    query = (sa.select(SG.c.id).join(INST, INST.c.uuid == SG.c.instance_uuid)
             .where(SG.c.security_group_id == group_id).where(INST.c.deleted == sa.false()).limit(1))
    if conn.dialect.name in ('mysql', 'mariadb'):
        # A locking read sees what the users that held the lock committed (the snapshot would not).
        query = query.with_for_update(read=True)
    return conn.execute(query).first() is not None


def delete(conn, group_id):
    """Delete the group, its rules and the rules of other groups that name it as their source."""
    conn.execute(R.delete().where(sa.or_(R.c.parent_group_id == group_id, R.c.group_id == group_id)))
    conn.execute(G.delete().where(G.c.id == group_id))


def get_rule(conn, rule_id):
    return conn.execute(sa.select(R).where(R.c.id == rule_id)).mappings().first()


def add_rule(conn, values):
    rule_id = conn.execute(R.insert().values(**values)).inserted_primary_key[0]
    return dict(values, id=rule_id)


def delete_rule(conn, rule_id):
    conn.execute(R.delete().where(R.c.id == rule_id))


def of_server(conn, instance_uuid):
    """The server's groups, ordered as nova lists them (tenant_id, name)."""
    query = (sa.select(G).join(SG, SG.c.security_group_id == G.c.id).where(SG.c.instance_uuid == instance_uuid)
             .order_by(G.c.project_id, G.c.name, G.c.id))
    return conn.execute(query).mappings().all()


def server_has(conn, instance_uuid, group_id):
    """Whether the server has the group (call it with the server's row locked)."""
    query = (sa.select(SG.c.id).where(SG.c.instance_uuid == instance_uuid)
             .where(SG.c.security_group_id == group_id))
    if conn.dialect.name in ('mysql', 'mariadb'):
        query = query.with_for_update(read=True)  # what the lock's previous holder committed
    return conn.execute(query).first() is not None


def add_to_server(conn, instance_uuid, group_ids):
    if group_ids:
        conn.execute(SG.insert(), [{'instance_uuid': instance_uuid, 'security_group_id': group_id}
                                   for group_id in group_ids])


def remove_from_server(conn, instance_uuid, group_id):
    conn.execute(SG.delete().where(SG.c.instance_uuid == instance_uuid).where(SG.c.security_group_id == group_id))
