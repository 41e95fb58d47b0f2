"""Security group queries: security_groups and security_group_rules.

A server names its groups in instances.security_groups (a JSON list of names, in its project):
renaming a group rewrites those lists in one statement, and a group is in use while a live
server of its project lists its name.
"""
import json

import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import store as store_mod

G = models.security_groups
R = models.security_group_rules
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


def list_groups(conn, project_id=None, names=None):
    """Groups ordered as nova shows them (tenant_id, name): of one project or, with None, all;
    only those named in `names` when given."""
    query = sa.select(G).order_by(G.c.project_id, G.c.name, G.c.id)
    if project_id is not None:
        query = query.where(G.c.project_id == project_id)
    if names is not None:
        query = query.where(G.c.name.in_(sorted(names)))
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
    """Set name and description; servers of the group's project that list the old name list the
    new one (one UPDATE)."""
    conn.execute(G.update().where(G.c.id == group['id'])
                 .values(name=name, description=description, updated_at=store_mod.utcnow()))
    if name != group['name']:
        old, new = json.dumps(group['name']), json.dumps(name)
        conn.execute(INST.update().where(INST.c.project_id == group['project_id'])
                     .where(INST.c.security_groups.contains(old, autoescape=True))
                     .values(security_groups=sa.func.replace(INST.c.security_groups, old, new)))


def in_use(conn, group):
    """Whether a live server of the group's project lists it."""
    query = (sa.select(INST.c.id).where(INST.c.project_id == group['project_id'])
             .where(INST.c.deleted == sa.false())
             .where(INST.c.security_groups.contains(json.dumps(group['name']), autoescape=True)).limit(1))
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


def server_group_names(conn, instance_uuid):
    """The names a server lists, read afresh inside the caller's transaction."""
    value = conn.execute(sa.select(INST.c.security_groups).where(INST.c.uuid == instance_uuid)).scalar_one()
    return json.loads(value) if value else []


def set_server_group_names(conn, instance_uuid, names):
    conn.execute(INST.update().where(INST.c.uuid == instance_uuid)
                 .values(security_groups=json.dumps(names), updated_at=store_mod.utcnow()))
