"""Server queries: instances and the rows hanging off them. Callers hold the transaction.

Every state change is a compare-and-swap on the task_state the writer expects (see
compare_and_swap): whoever changed it first wins and the other writer learns it from the row
count, which is how a DELETE accepted during a build always beats the build's completion.

Pages are read with a bounded number of statements whatever the number of rows: one for the
instances, one for their metadata, addresses, volumes and security groups together, and (only
for servers that show one) one for faults.
"""
import sqlalchemy as sa

from compute_api.db import console_auth_tokens
from compute_api.db import models
from compute_api.db import paging

INS = models.instances
A = models.instance_addresses
POOLS = models.address_pools
F = models.instance_faults
B = models.block_device_mappings
SG = models.instance_security_groups
G = models.security_groups

# nova's VALID_SORT_KEYS that map onto our columns (the API names them as nova's DB does).
SORT_KEYS = {
    'access_ip_v4': INS.c.access_ip_v4, 'access_ip_v6': INS.c.access_ip_v6,
    'auto_disk_config': INS.c.auto_disk_config, 'availability_zone': INS.c.availability_zone,
    'config_drive': INS.c.config_drive, 'created_at': INS.c.created_at,
    'display_description': INS.c.display_description, 'display_name': INS.c.display_name,
    'host': INS.c.host, 'hostname': INS.c.hostname, 'image_ref': INS.c.image_ref,
    'instance_type_id': INS.c.flavor_id, 'key_name': INS.c.key_name, 'launch_index': INS.c.launch_index,
    'launched_at': INS.c.launched_at, 'locked': INS.c.locked, 'locked_by': INS.c.locked_by, 'node': INS.c.node,
    'power_state': INS.c.power_state, 'progress': INS.c.progress, 'project_id': INS.c.project_id,
    'task_state': INS.c.task_state, 'terminated_at': INS.c.terminated_at, 'updated_at': INS.c.updated_at,
    'user_id': INS.c.user_id, 'uuid': INS.c.uuid, 'vm_state': INS.c.vm_state,
}
_NOT_NULL = frozenset(c.name for c in INS.columns if not c.nullable)


class RegexpError(Exception):
    """The database refused a regular expression the filter handed it."""


_INSERT = INS.insert()
_INSERT_METADATA = models.instance_metadata.insert()
_INSERT_BLOCK_DEVICES = B.insert()
_INSERT_SECURITY_GROUPS = SG.insert()


def insert(conn, instances, metadata, block_devices, security_groups):
    """Insert servers and their metadata, block device and security group rows (lists of row
    dicts); sets each server row's id."""
    for row in instances:
        row['id'] = conn.execute(_INSERT, row).inserted_primary_key[0]
    for statement, rows in ((_INSERT_METADATA, metadata), (_INSERT_BLOCK_DEVICES, block_devices),
                            (_INSERT_SECURITY_GROUPS, security_groups)):
        if rows:
            conn.execute(statement, rows)


def _get_statement(scoped, read_deleted, for_update):
    query = sa.select(INS).where(INS.c.uuid == sa.bindparam('uuid'))
    if scoped:
        query = query.where(INS.c.project_id == sa.bindparam('project_id'))
    if not read_deleted:
        query = query.where(INS.c.deleted == sa.false())
    return query.with_for_update() if for_update else query


# The hot reads are built once: building a statement costs more than running it on an index.
_GET = {(scoped, read_deleted, for_update): _get_statement(scoped, read_deleted, for_update)
        for scoped in (False, True) for read_deleted in (False, True) for for_update in (False, True)}


def _per_server(build):
    """`build(match)`'s statement in two forms, `match(column)` being the servers' condition: = one
    uuid (a show), and IN a list of them (a page). An IN list is rendered again on every call,
    an = is compiled once. Run them with _execute_per_server."""
    return (build(lambda column: column == sa.bindparam('uuid')),
            build(lambda column: column.in_(sa.bindparam('uuids', expanding=True))))


def _execute_per_server(conn, statements, uuids):
    one, many = statements
    if len(uuids) == 1:
        return conn.execute(one, {'uuid': uuids[0]})
    return conn.execute(many, {'uuids': list(uuids)})


_FAULTS = _per_server(lambda match: sa.select(F).where(match(F.c.instance_uuid))
                     .order_by(F.c.created_at.desc(), F.c.id.desc()))


def get(conn, uuid, project_id=None, read_deleted=False, for_update=False):
    """One server by uuid (None when absent); `project_id` restricts it to that project;
    `for_update` locks the row for the transaction (where the database can)."""
    query = _GET[project_id is not None, bool(read_deleted), bool(for_update)]
    return conn.execute(query, {'uuid': uuid, 'project_id': project_id}).mappings().first()


def compare_and_swap(conn, uuid, expected_task_state, values, expected_vm_state=None):
    """Apply `values` only if the live row still has `expected_task_state` (a value, None, or a
    tuple of values); True when it did. The row count is the whole synchronisation."""
    params = dict(values, cas_uuid=uuid)
    if expected_vm_state is not None:
        params['cas_vm_state'] = expected_vm_state
    if isinstance(expected_task_state, (tuple, list, frozenset, set)):
        params['cas_task_states'] = [v for v in expected_task_state if v is not None]
        shape = 'any_or_none' if None in expected_task_state else 'any'
    elif expected_task_state is None:
        shape = 'none'
    else:
        params['cas_task_state'] = expected_task_state
        shape = 'one'
    # The SET clause comes from the keys of `values` (the statement has none of its own).
    query = _COMPARE_AND_SWAP[shape, expected_vm_state is not None]
    return conn.execute(query, params).rowcount == 1


def _compare_and_swap_statement(shape, with_vm_state):
    query = INS.update().where(INS.c.uuid == sa.bindparam('cas_uuid')).where(INS.c.deleted == sa.false())
    expected = sa.bindparam('cas_task_states', expanding=True)
    query = query.where({
        'one': INS.c.task_state == sa.bindparam('cas_task_state'),
        'none': INS.c.task_state.is_(None),
        'any': INS.c.task_state.in_(expected),
        'any_or_none': sa.or_(INS.c.task_state.in_(expected), INS.c.task_state.is_(None)),
    }[shape])
    if with_vm_state:
        query = query.where(INS.c.vm_state == sa.bindparam('cas_vm_state'))
    return query


_COMPARE_AND_SWAP = {(shape, with_vm_state): _compare_and_swap_statement(shape, with_vm_state)
                     for shape in ('one', 'none', 'any', 'any_or_none') for with_vm_state in (False, True)}


def update(conn, uuid, values):
    """Unconditional update of a live server's own fields (name, access IPs...); True if found."""
    query = INS.update().where(INS.c.uuid == uuid).where(INS.c.deleted == sa.false()).values(**values)
    return conn.execute(query).rowcount == 1


def soft_delete(conn, uuid, expected_task_state, now):
    """Mark a server deleted (the row stays for changes-since) and release its addresses;
    False when it was not in `expected_task_state` any more."""
    done = compare_and_swap(conn, uuid, expected_task_state, {
        'deleted': True, 'deleted_at': now, 'terminated_at': now, 'updated_at': now,
        'vm_state': 'deleted', 'task_state': None, 'power_state': 0, 'progress': 0})
    if done:
        release_addresses(conn, uuid)
        console_auth_tokens.delete_for_instance(conn, uuid)
    return done


def release_addresses(conn, uuid):
    """Delete the server's address rows and lower each pool's lowest_free to the lowest
    address freed in it (network.py's allocator relies on everything below it being used)."""
    freed = conn.execute(sa.select(A.c.network_label, A.c.version, sa.func.min(A.c.host_index))
                         .where(A.c.instance_uuid == uuid).where(A.c.host_index.isnot(None))
                         .group_by(A.c.network_label, A.c.version)).all()
    # In one order (the allocator's), so a delete and a create never wait on each other in a cycle.
    for label, version, lowest in sorted(freed):
        conn.execute(POOLS.update().where(POOLS.c.network_label == label).where(POOLS.c.version == version)
                     .where(POOLS.c.lowest_free > lowest).values(lowest_free=lowest))
    conn.execute(A.delete().where(A.c.instance_uuid == uuid))


_ADDRESSES = (sa.select(A.c.network_label, A.c.address, A.c.type, A.c.mac_address, A.c.position, A.c.version)
              .where(A.c.instance_uuid == sa.bindparam('uuid')).order_by(A.c.position, A.c.version))


def addresses(conn, uuid):
    """The server's address rows in allocation order (what its guest's interfaces are made of)."""
    return [dict(row) for row in conn.execute(_ADDRESSES, {'uuid': uuid}).mappings()]


def with_task_states(conn, task_states):
    """Live servers in any of `task_states` (start-up recovery)."""
    query = sa.select(INS).where(INS.c.deleted == sa.false()).where(INS.c.task_state.in_(list(task_states)))
    return conn.execute(query).mappings().all()


# -- related rows, for a page of servers -------------------------------------------------------

def _related(match):
    """Metadata items, addresses, attached volumes and security group names of the matched
    servers as one statement (one round trip instead of four): rows of (kind, instance_uuid,
    text1..text4, a, b, c)."""
    M = models.instance_metadata
    no_text, no_int = sa.cast(sa.null(), sa.String), sa.cast(sa.null(), sa.Integer)
    related = sa.union_all(
        sa.select(sa.literal_column("'m'", sa.String).label('kind'), M.c.instance_uuid,
                  M.c.key.label('text1'), M.c.value.label('text2'), no_text.label('text3'),
                  no_text.label('text4'), no_int.label('a'), no_int.label('b'), no_int.label('c'))
        .where(match(M.c.instance_uuid)),
        sa.select(sa.literal_column("'a'", sa.String), A.c.instance_uuid, A.c.network_label, A.c.address,
                  A.c.type, A.c.mac_address, A.c.position, A.c.version, A.c.id)
        .where(match(A.c.instance_uuid)),
        sa.select(sa.literal_column("'v'", sa.String), B.c.instance_uuid, B.c.volume_id, no_text, no_text,
                  no_text, B.c.id, sa.cast(B.c.delete_on_termination, sa.Integer), no_int)
        .where(match(B.c.instance_uuid))
        .where(B.c.destination_type == 'volume').where(B.c.volume_id.isnot(None)),
        sa.select(sa.literal_column("'s'", sa.String), SG.c.instance_uuid, G.c.name, no_text, no_text, no_text,
                  SG.c.id, no_int, no_int)
        .select_from(SG.join(G, G.c.id == SG.c.security_group_id)).where(match(SG.c.instance_uuid)),
    ).subquery()
    # Metadata by key, addresses in allocation order, volumes in boot order, groups as given.
    return sa.select(related).order_by(related.c.kind, related.c.a, related.c.b, related.c.c, related.c.text1)


_RELATED = _per_server(_related)


def related_many(conn, uuids):
    """({uuid: {key: value}}, {uuid: [address dicts in allocation order]}, {uuid: [attached volumes
    ({id, delete_on_termination}) in boot order]}, {uuid: [security group names as given]}) for the
    servers, in one statement; servers without any are absent."""
    metadata, addresses, volumes, groups = {}, {}, {}, {}
    if not uuids:
        return metadata, addresses, volumes, groups
    for kind, uuid, text1, text2, text3, text4, a, b, _c in _execute_per_server(conn, _RELATED, uuids):
        if kind == 'm':
            metadata.setdefault(uuid, {})[text1] = text2
        elif kind == 'a':
            addresses.setdefault(uuid, []).append({'network_label': text1, 'address': text2, 'type': text3,
                                                   'mac_address': text4, 'position': a, 'version': b})
        elif kind == 'v':
            volumes.setdefault(uuid, []).append({'id': text1, 'delete_on_termination': bool(b)})
        else:
            groups.setdefault(uuid, []).append(text1)
    return metadata, addresses, volumes, groups


def latest_faults(conn, uuids):
    """{uuid: the server's most recent fault row}."""
    if not uuids:
        return {}
    result = {}
    rows = _execute_per_server(conn, _FAULTS, uuids).mappings()
    for row in rows:
        result.setdefault(row['instance_uuid'], row)
    return result


def add_fault(conn, uuid, code, message, details, now):
    conn.execute(F.insert().values(instance_uuid=uuid, code=code, message=(message or '')[:255],
                                   details=details, created_at=now))


def block_devices(conn, uuid):
    return conn.execute(sa.select(B).where(B.c.instance_uuid == uuid).order_by(B.c.id)).mappings().all()


# -- listing -----------------------------------------------------------------------------------

def list_instances(conn, filters, sort, limit, marker=None):
    """A page of servers (row mappings), or None when `marker` is not a server the filters'
    scope can see.

    filters: project_id (None: every project), deleted (True/False/None: both), changes_since,
    image_ref, flavor_id, name (regex), states ({vm_state: ('only'|'all_but', task states)}),
    reservation_id, ip / ip6 (regex on addresses), host, node, user_id, uuid, vm_state,
    task_state, power_state. sort: [(key in SORT_KEYS, 'asc'|'desc')], ending on a unique key.
    """
    query = sa.select(INS).where(*_where(filters))
    sort_columns = [(SORT_KEYS[key] if key in SORT_KEYS else INS.c[key], direction) for key, direction in sort]
    if marker is not None:
        scope = sa.select(INS).where(INS.c.uuid == marker)
        if filters.get('project_id') is not None:
            scope = scope.where(INS.c.project_id == filters['project_id'])
        marker_row = conn.execute(scope).mappings().first()
        if marker_row is None:
            return None
        values = [marker_row[c.name] for c, _d in sort_columns]
        query = query.where(paging.after_marker(sort_columns, values))
        first, direction = sort_columns[0]
        if first.name in _NOT_NULL:
            # Redundant with the clause above, but a plain range on the leading sort column lets
            # the index seek straight to the marker instead of scanning the pages before it.
            query = query.where(first <= values[0] if direction == 'desc' else first >= values[0])
    query = query.order_by(*_order_by(sort_columns)).limit(limit)
    try:
        return conn.execute(query).mappings().all()
    except sa.exc.DBAPIError as exc:
        if filters.get('name') or filters.get('ip') or filters.get('ip6'):
            raise RegexpError(str(exc.orig)) from None
        raise


def _order_by(sort_columns):
    """NOT NULL columns order plainly (so the listing index serves the ORDER BY); nullable ones
    with NULLs first ascending / last descending on every backend, as paging.after_marker expects."""
    result = []
    for column, direction in sort_columns:
        if column.name in _NOT_NULL:
            result.append(column if direction == 'asc' else column.desc())
        else:
            result.extend(paging.order_by([(column, direction)]))
    return result


def _where(filters):
    clauses = []
    if filters.get('project_id') is not None:
        clauses.append(INS.c.project_id == filters['project_id'])
    if filters.get('deleted') is not None:
        clauses.append(INS.c.deleted == (sa.true() if filters['deleted'] else sa.false()))
    if filters.get('changes_since') is not None:
        clauses.append(INS.c.updated_at >= filters['changes_since'])
    for key, column in (('image_ref', INS.c.image_ref), ('flavor_id', INS.c.flavor_id),
                        ('reservation_id', INS.c.reservation_id), ('host', INS.c.host), ('node', INS.c.node),
                        ('user_id', INS.c.user_id), ('uuid', INS.c.uuid), ('vm_state', INS.c.vm_state),
                        ('task_state', INS.c.task_state), ('power_state', INS.c.power_state)):
        value = filters.get(key)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            clauses.append(column.in_(list(value)))
        else:
            clauses.append(column == value)
    if filters.get('name'):
        clauses.append(INS.c.display_name.regexp_match(filters['name']))
    if filters.get('states') is not None:
        clauses.append(_states_clause(filters['states']))
    for key, version in (('ip', 4), ('ip6', 6)):
        if filters.get(key):
            matching = sa.select(A.c.instance_uuid).where(A.c.version == version).where(
                A.c.address.regexp_match(filters[key]))
            clauses.append(INS.c.uuid.in_(matching))
    return clauses


def _states_clause(states):
    """(vm_state, task_state) pairs from states.states_for_status()."""
    if not states:
        return sa.false()
    alternatives = []
    for vm_state, (kind, tasks) in states.items():
        if kind == 'only':
            alternatives.append(sa.and_(INS.c.vm_state == vm_state, INS.c.task_state.in_(sorted(tasks))))
        elif tasks:
            alternatives.append(sa.and_(INS.c.vm_state == vm_state, sa.or_(
                INS.c.task_state.is_(None), INS.c.task_state.notin_(sorted(tasks)))))
        else:
            alternatives.append(INS.c.vm_state == vm_state)
    return sa.or_(*alternatives)
