"""Server groups: a named placement policy for servers of one project (nova's instance groups).

Non-admins see and delete only their project's groups; a group of another project is not found,
exactly like a group that does not exist. This deployment has one compute host, so 'affinity' is
always satisfiable and 'anti-affinity' allows one server per group.
"""
from compute_api import exception
from compute_api.compute import quotas
from compute_api.db import server_groups as db_groups


def _scope(context):
    return None if context.is_admin else context.project_id


def _with_members(conn, groups):
    members = db_groups.members(conn, [group['id'] for group in groups])
    return [dict(group, members=members[group['id']]) for group in groups]


def list_groups(store, context, all_projects, limit, offset):
    """The project's groups (every project's with all_projects), each with its members."""
    with store.read() as conn:
        groups = db_groups.list_groups(conn, None if all_projects else context.project_id, limit, offset)
        return _with_members(conn, groups)


def get_group(store, context, group_uuid):
    with store.read() as conn:
        group = db_groups.get(conn, group_uuid, _scope(context))
        if group is None:
            raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
        return _with_members(conn, [group])[0]


def create_group(store, conf, context, name, policy):
    """A new group in the caller's project; 403 over the server_groups quota (counted under the
    project's quota lock, so concurrent creates cannot pass it together)."""
    with store.write() as conn:
        quotas.lock_project(conn, context.project_id)
        allowed = quotas.limits_for(conn, conf, context.project_id)['server_groups']
        if 0 <= allowed < db_groups.count_in_project(conn, context.project_id, locking=True) + 1:
            raise exception.ServerGroupLimitExceeded()
        group = db_groups.create(conn, context.project_id, context.user_id, name, policy)
        return dict(group, members=[])


def delete_group(store, context, group_uuid):
    """Delete a group; its servers stay, no longer grouped."""
    with store.write() as conn:
        if not db_groups.delete(conn, group_uuid, _scope(context)):
            raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
