"""Security groups (nova's os-security-groups as nova-network kept them: integer ids).

Each project has a "default" group, created the first time the project's groups are used; it
cannot be renamed or deleted. A group of another project is not found, as a group that does not
exist, except for admins. The number of groups per project and of rules per group are the
security_groups and security_group_rules quotas, counted under the project's quota lock.
Ids are integers; a UUID, which nova with neutron takes, names no group here and so is not
found (404, as nova when neutron has no such group), while any other non-integer is a 400.
Servers have groups (rows of instance_security_groups); this deployment enforces no traffic rules
(there is no firewall driver), it keeps them for the API. Adding or removing a server's group
locks the server's row, so concurrent changes to one server apply one after the other; a group
cannot be deleted while a live server has it, even one being created or given it meanwhile (see
db/security_groups.py).
"""
import ipaddress

from oslo_utils import uuidutils

from compute_api import exception
from compute_api.compute import quotas
from compute_api.db import instances as db_instances
from compute_api.db import security_groups as db
from compute_api.db.store import utcnow

DEFAULT = db.DEFAULT
MAX_LENGTH = 255
MAX_ID = 2 ** 31 - 1  # ids are 32-bit INTEGER columns: a larger one names nothing


def _scope(context):
    return None if context.is_admin else context.project_id


def _with_rules(conn, groups):
    rules = db.rules_of(conn, [group['id'] for group in groups])
    return [dict(group, rules=rules[group['id']]) for group in groups]


def _ensure_default(store, context, project_id):
    """The project's default group exists afterwards (a write only when it is missing)."""
    with store.read() as conn:
        if db.get_by_name(conn, project_id, DEFAULT) is not None:
            return
    with store.write() as conn:
        quotas.lock_project(conn, project_id)
        db.ensure_default(conn, project_id, context.user_id)


def validate_id(value):
    """An id as an int, or None for a UUID (which names nothing here); anything else is a 400."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        if uuidutils.is_uuid_like(value):
            return None
        raise exception.Invalid('Security group id should be integer')


def _names_a_row(validated_id):
    return validated_id is not None and abs(validated_id) <= MAX_ID


def validate_property(value, name):
    """A name or description: a string, 1 to 255 characters once stripped (nova's rule; the value
    is kept as given)."""
    if not isinstance(value, str):
        raise exception.Invalid('Security group %s is not a string or unicode' % name)
    value = value.strip()
    if not value:
        raise exception.Invalid('%s has a minimum character requirement of 1.' % name)
    if len(value) > MAX_LENGTH:
        raise exception.Invalid('%s has more than %d characters.' % (name, MAX_LENGTH))


def list_groups(store, context, all_projects):
    """The caller's project's groups (every project's for an admin asking all_tenants)."""
    _ensure_default(store, context, context.project_id)
    with store.read() as conn:
        return _with_rules(conn, db.list_groups(conn, None if all_projects else context.project_id))


def _get(conn, context, group_id):
    """The group `group_id` (as the caller gave it) if the caller may see it."""
    validated_id = validate_id(group_id)
    group = db.get(conn, validated_id, _scope(context)) if _names_a_row(validated_id) else None
    if group is None:
        raise exception.SecurityGroupNotFound(security_group_id=group_id)
    return group


def get_group(store, context, group_id):
    with store.read() as conn:
        return _with_rules(conn, [_get(conn, context, group_id)])[0]


def create_group(store, conf, context, name, description):
    validate_property(name, 'name')
    validate_property(description, 'description')
    project_id = context.project_id
    with store.write() as conn:
        quotas.lock_project(conn, project_id)
        db.ensure_default(conn, project_id, context.user_id)
        allowed = quotas.limits_for(conn, conf, project_id)['security_groups']
        if 0 <= allowed < db.count_in_project(conn, project_id, locking=True) + 1:
            raise exception.SecurityGroupLimitExceeded('Quota exceeded, too many security groups.')
        if db.get_by_name(conn, project_id, name) is not None:
            raise exception.SecurityGroupExists('Security group %s already exists' % name)
        return dict(db.create(conn, project_id, context.user_id, name, description), rules=[])


def update_group(store, context, group_id, name, description):
    validate_property(name, 'name')
    validate_property(description, 'description')
    with store.write() as conn:
        group = _get(conn, context, group_id)
        if group['name'] == DEFAULT:
            raise exception.Invalid("Unable to update system group '%s'" % DEFAULT)
        quotas.lock_project(conn, group['project_id'])
        other = db.get_by_name(conn, group['project_id'], name)
        if other is not None and other['id'] != group['id']:
            raise exception.SecurityGroupExists('Security group %s already exists' % name)
        db.rename(conn, group, name, description)
        return _with_rules(conn, [db.get(conn, group['id'])])[0]


def delete_group(store, context, group_id):
    with store.write() as conn:
        group = _get(conn, context, group_id)
        if group['name'] == DEFAULT:
            raise exception.Invalid("Unable to delete system group '%s'" % DEFAULT)
        if not db.lock_for_delete(conn, group['id']):
            raise exception.SecurityGroupNotFound(security_group_id=group_id)
        if db.in_use(conn, group['id']):
            raise exception.Invalid('Security group is still in use')
        db.delete(conn, group['id'])


# -- rules ------------------------------------------------------------------------------------

def _ports(protocol, from_port, to_port):
    """(protocol, from_port, to_port) checked as nova-network does."""
    try:
        from_port, to_port = int(from_port), int(to_port)
    except (TypeError, ValueError):
        if str(protocol).upper() == 'ICMP':
            raise exception.InvalidInput(reason='Type and Code must be integers for ICMP protocol type')
        raise exception.InvalidInput(reason='To and From ports must be integers')
    upper = str(protocol).upper()
    if upper not in ('TCP', 'UDP', 'ICMP'):
        raise exception.Invalid('Invalid IP protocol %s.' % protocol)
    problem = None
    if upper in ('TCP', 'UDP') and from_port > to_port:
        problem = 'Former value cannot be greater than the later'
    elif upper in ('TCP', 'UDP') and (from_port < 1 or to_port > 65535):
        problem = 'Valid %s ports should be between 1-65535' % upper
    elif upper == 'ICMP' and not (-1 <= from_port <= 255 and -1 <= to_port <= 255):
        problem = 'For ICMP, the type:code must be valid'
    if problem:
        raise exception.Invalid('Invalid port range %s:%s. %s' % (from_port, to_port, problem))
    return str(protocol), from_port, to_port


def _cidr(cidr):
    if not cidr:
        return '0.0.0.0/0'
    address, _sep, prefix = str(cidr).partition('/')
    try:
        ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        prefix = ''
    if not prefix:
        raise exception.Invalid('Invalid cidr %s.' % cidr)
    if prefix == '0' and address not in ('0.0.0.0', '::'):
        raise exception.Invalid('Bad prefix for network in cidr %s' % cidr)
    return str(cidr)


def _new_rule(protocol, from_port, to_port, cidr, source_id):
    """The rule's columns, or None when a CIDR rule lacks its protocol or ports (nova's "Not
    enough parameters")."""
    values = {'cidr': None, 'group_id': None, 'protocol': None, 'from_port': None, 'to_port': None}
    if source_id is not None:
        values['group_id'] = source_id
        upper = str(protocol).upper() if protocol else ''
        if from_port is None and to_port is None:
            from_port, to_port = {'ICMP': (-1, -1), 'TCP': (1, 65535), 'UDP': (1, 65535)}.get(upper, (None, None))
    else:
        values['cidr'] = _cidr(cidr)
    if protocol and from_port is not None and to_port is not None:
        values['protocol'], values['from_port'], values['to_port'] = _ports(protocol, from_port, to_port)
    elif source_id is None:
        return None
    return values


def create_rule(store, conf, context, parent_group_id, protocol, from_port, to_port, cidr, source_group_id):
    """A rule in the parent group (the caller's, or any for an admin); returns it with its
    source group's name and project when it names one."""
    with store.write() as conn:
        parent = _get(conn, context, parent_group_id)
        source = _get(conn, context, source_group_id) if source_group_id is not None else None
        values = _new_rule(protocol, from_port, to_port, cidr, source['id'] if source else None)
        if values is None:
            raise exception.Invalid('Not enough parameters to build a valid rule.')
        quotas.lock_project(conn, parent['project_id'])
        for rule in db.rules_of(conn, [parent['id']])[parent['id']]:
            if all(rule[key] == values[key] for key in ('cidr', 'group_id', 'from_port', 'to_port')) and \
                    (rule['protocol'] or '').lower() == (values['protocol'] or '').lower():
                raise exception.SecurityGroupExists('This rule already exists in group %s' % parent['id'])
        allowed = quotas.limits_for(conn, conf, parent['project_id'])['security_group_rules']
        if 0 <= allowed < db.count_rules(conn, parent['id'], locking=True) + 1:
            raise exception.SecurityGroupLimitExceeded('Quota exceeded, too many security group rules.')
        rule = db.add_rule(conn, dict(values, parent_group_id=parent['id']))
    rule.update(group_name=source['name'] if source else None, group_project=source['project_id'] if source else None)
    return rule


def delete_rule(store, context, rule_id):
    validated_id = validate_id(rule_id)
    with store.write() as conn:
        rule = db.get_rule(conn, validated_id) if _names_a_row(validated_id) else None
        if rule is None or (not context.is_admin and db.get(conn, rule['parent_group_id'],
                                                            context.project_id) is None):
            raise exception.SecurityGroupNotFoundForRule(rule_id=rule_id)
        db.delete_rule(conn, validated_id)


# -- servers ----------------------------------------------------------------------------------

def server_groups(store, instance):
    """The server's groups, with their rules."""
    with store.read() as conn:
        return _with_rules(conn, db.of_server(conn, instance['uuid']))


def _lock_server_and_group(conn, context, instance, name):
    """The caller's project's group `name`, share-locked (so it cannot be deleted under us), and
    the server's row locked, its updated_at moved (the lock that orders changes to one server)."""
    group = db.lock_for_use(conn, context.project_id, [name]).get(name)
    if group is None:
        raise exception.SecurityGroupNotFoundForProjectName(security_group_id=name,
                                                            project_id=context.project_id)
    if not db_instances.update(conn, instance['uuid'], {'updated_at': utcnow()}):
        raise exception.InstanceNotFound(instance_id=instance['uuid'])
    return group


def add_to_server(store, context, instance, name):
    """Add the caller's project's group `name` to the server (400 when it already has it)."""
    if name == DEFAULT:
        _ensure_default(store, context, context.project_id)

    def add(conn):
        group = _lock_server_and_group(conn, context, instance, name)
        if db.server_has(conn, instance['uuid'], group['id']):
            raise exception.SecurityGroupExistsForInstance(security_group_id=group['id'],
                                                           instance_id=instance['uuid'])
        db.add_to_server(conn, instance['uuid'], [group['id']])
    store.transact(add)


def remove_from_server(store, context, instance, name):
    """Take the group `name` off the server (400 when it does not have it)."""
    if name == DEFAULT:
        _ensure_default(store, context, context.project_id)

    def remove(conn):
        group = _lock_server_and_group(conn, context, instance, name)
        if not db.server_has(conn, instance['uuid'], group['id']):
            raise exception.SecurityGroupNotExistsForInstance(security_group_id=group['id'],
                                                              instance_id=instance['uuid'])
        db.remove_from_server(conn, instance['uuid'], group['id'])
    store.transact(remove)
