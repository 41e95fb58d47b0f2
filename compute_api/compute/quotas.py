"""Quotas: each project's limits and its usage counted from live rows.

A limit is the [quota] option, overridden by the default quota class's row (quota_classes,
class 'default'), overridden by the project's own row (quotas); -1 is unlimited. Usage is
counted, never reserved: there is no usage table to drift. A server create checks inside its
own writing transaction, after taking the project's quota_locks row, so concurrent creates in
one project queue there and each counts what the ones before it committed:
- SQLite: BEGIN IMMEDIATE already runs one writer at a time;
- PostgreSQL (READ COMMITTED): one upsert inserts the lock row or locks it (waiting for its
  holder, or for a concurrent insert of it); each later statement sees what the previous holder
  committed;
- MariaDB/MySQL: the lock row is created, when missing, in its own short transaction (an
  INSERT IGNORE in ours would take a shared lock two creates could deadlock upgrading), then
  locked FOR UPDATE; usage is counted with a locking read, which sees the latest committed rows
  whatever REPEATABLE READ's snapshot holds.
"""
import functools
import json

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as mysql_dialect

from compute_api import exception
from compute_api.db import models
from compute_api.db.store import utcnow

DEFAULT_CLASS = 'default'
# The resources the quota tables and [quota] know, by their internal (nova DB) names.
RESOURCES = ('instances', 'cores', 'ram', 'floating_ips', 'fixed_ips', 'metadata_items',
             'injected_files', 'injected_file_content_bytes', 'injected_file_path_length',
             'security_groups', 'security_group_rules', 'key_pairs', 'server_groups',
             'server_group_members')
SERVER_RESOURCES = ('instances', 'cores', 'ram')
MAX_LIMIT = 2 ** 31 - 1  # hard_limit is a 32-bit INTEGER

Q = models.quotas
QC = models.quota_classes
LOCKS = models.quota_locks
INS = models.instances


def defaults(conn, conf):
    """{resource: limit} of the default quota class: [quota] overridden by its rows."""
    limits = {resource: getattr(conf.quota, resource) for resource in RESOURCES}
    query = sa.select(QC.c.resource, QC.c.hard_limit).where(QC.c.class_name == DEFAULT_CLASS)
    for resource, hard_limit in conn.execute(query):
        if resource in limits:
            limits[resource] = hard_limit
    return limits


# The hot statements are built once: building one costs more than running it on an index.
_LIMITS = sa.union_all(
    sa.select(QC.c.resource, QC.c.hard_limit, sa.literal(0).label('precedence'))
    .where(QC.c.class_name == DEFAULT_CLASS),
    sa.select(Q.c.resource, Q.c.hard_limit, sa.literal(1).label('precedence'))
    .where(Q.c.project_id == sa.bindparam('project_id')),
)
_LIVE = sa.and_(INS.c.project_id == sa.bindparam('project_id'), INS.c.deleted == sa.false())
_RESIZING = sa.or_(INS.c.new_flavor.isnot(None), INS.c.old_flavor.isnot(None))
# Live servers, their vCPUs and RAM, and how many of them are in a resize (only those need
# reading one by one).
_TOTALS = sa.select(sa.func.count(INS.c.id), sa.func.coalesce(sa.func.sum(INS.c.vcpus), 0),
                    sa.func.coalesce(sa.func.sum(INS.c.memory_mb), 0),
                    sa.func.count(sa.case((_RESIZING, INS.c.id)))).where(_LIVE)
_RESIZING_ROWS = (sa.select(INS.c.vcpus, INS.c.memory_mb, INS.c.new_flavor, INS.c.old_flavor)
                  .where(_LIVE).where(_RESIZING))
_LOCKING_TOTALS = _TOTALS.with_for_update(read=True)
_LOCKING_RESIZING_ROWS = _RESIZING_ROWS.with_for_update(read=True)


@functools.cache
def _pg_lock():
    # Built on first use: only a PostgreSQL deployment needs its dialect module (~2 MB).
    from sqlalchemy.dialects import postgresql
    return (postgresql.insert(LOCKS)
            .values(project_id=sa.bindparam('lock_project'), updated_at=sa.bindparam('lock_time'))
            .on_conflict_do_update(index_elements=[LOCKS.c.project_id], set_={'updated_at': sa.bindparam('lock_time')}))


def limits_for(conn, conf, project_id):
    """{resource: limit} for the project (one query): its own rows over the default class."""
    limits = {resource: getattr(conf.quota, resource) for resource in RESOURCES}
    rows = conn.execute(_LIMITS, {'project_id': project_id}).all()
    for resource, hard_limit, _precedence in sorted(rows, key=lambda row: row[2]):
        if resource in limits:
            limits[resource] = hard_limit
    return limits


def server_usage(conn, project_id, locking=False):
    """{instances, cores, ram} of the project's live servers. A server in a resize counts at the
    larger of its flavors (the new one while it resizes, the old one until the resize is
    confirmed, as a revert needs it back), so neither step can take the project over its quota.
    One statement, a second one only when some server is resizing; `locking` reads with a
    shared lock where the database needs one to see the latest committed rows (MariaDB/MySQL
    under REPEATABLE READ)."""
    totals, resizing = _TOTALS, _RESIZING_ROWS
    if locking and conn.dialect.name in ('mysql', 'mariadb'):
        totals, resizing = _LOCKING_TOTALS, _LOCKING_RESIZING_ROWS
    params = {'project_id': project_id}
    instances, cores, ram, resizing_count = conn.execute(totals, params).one()
    usage = {'instances': int(instances), 'cores': int(cores), 'ram': int(ram)}
    if not resizing_count:
        return usage
    for row in conn.execute(resizing, params):
        flavors = [json.loads(doc) for doc in (row.new_flavor, row.old_flavor) if doc]
        usage['cores'] += max([flavor['vcpus'] - row.vcpus for flavor in flavors] + [0])
        usage['ram'] += max([flavor['memory_mb'] - row.memory_mb for flavor in flavors] + [0])
    return usage


def usage_for(conn, project_id, locking=False):
    """{resource: in use} for the project, in two or three statements: its live servers (see
    server_usage), server groups and security groups; nothing here allocates floating IPs."""
    usage = server_usage(conn, project_id, locking)
    server_groups, security_groups = conn.execute(sa.select(
        sa.select(sa.func.count()).select_from(models.server_groups)
        .where(models.server_groups.c.project_id == project_id).scalar_subquery(),
        sa.select(sa.func.count()).select_from(models.security_groups)
        .where(models.security_groups.c.project_id == project_id).scalar_subquery(),
    )).one()
    usage.update(server_groups=int(server_groups), security_groups=int(security_groups), floating_ips=0)
    return usage


def lock_project(conn, project_id):
    """Take the project's quota lock for the rest of the caller's writing transaction."""
    dialect = conn.dialect.name
    if dialect == 'sqlite':
        return  # the write transaction began IMMEDIATE: it is the only writer
    now = utcnow()
    if dialect == 'postgresql':
        # One statement: inserts the row or, when it exists, locks it by updating it (waiting
        # for the transaction holding it, and for a concurrent insert of it, to finish).
        conn.execute(_pg_lock(), {'lock_project': project_id, 'lock_time': now})
        return
    present = conn.execute(sa.select(LOCKS.c.project_id).where(LOCKS.c.project_id == project_id)).first()
    if present is None:
        with conn.engine.begin() as own:
            own.execute(mysql_dialect.insert(LOCKS).prefix_with('IGNORE').values(project_id=project_id, updated_at=now))
    conn.execute(sa.select(LOCKS.c.project_id).where(LOCKS.c.project_id == project_id).with_for_update())


def check_server_create(conn, conf, context, count, cores, ram):
    """Refuse (TooManyInstances, a QuotaExceeded) `count` more servers using `cores` vCPUs and
    `ram` MB when the project's live servers plus them would pass a limit. Call it inside the
    transaction that inserts the servers: it takes the project's quota lock first."""
    lock_project(conn, context.project_id)
    limits = limits_for(conn, conf, context.project_id)
    check_servers(limits, server_usage(conn, context.project_id, locking=True), count, cores, ram)


def check_servers(limits, usage, count, cores, ram):
    """check_server_create on limits and usage already read (under the project's quota lock)."""
    requested = {'instances': count, 'cores': cores, 'ram': ram}
    overs = sorted(resource for resource in SERVER_RESOURCES
                   if 0 <= limits[resource] < usage[resource] + requested[resource])
    if overs:
        def joined(values):
            return ', '.join(str(value) for value in values)
        raise exception.TooManyInstances(overs=joined(overs), req=joined(requested[r] for r in overs),
                                         used=joined(usage[r] for r in overs),
                                         allowed=joined(limits[r] for r in overs))


# -- quota sets and quota classes (os-quota-sets, os-quota-class-sets) ------------------------

def class_limits(conn, conf, class_name):
    """{resource: limit} of a quota class: [quota] overridden by that class's own rows (nova:
    a class other than 'default' does not inherit the default class's rows)."""
    limits = {resource: getattr(conf.quota, resource) for resource in RESOURCES}
    query = sa.select(QC.c.resource, QC.c.hard_limit).where(QC.c.class_name == class_name)
    for resource, hard_limit in conn.execute(query):
        if resource in limits:
            limits[resource] = hard_limit
    return limits


def project_limits(store, conf, project_id):
    with store.read() as conn:
        return limits_for(conn, conf, project_id)


def default_limits(store, conf):
    with store.read() as conn:
        return defaults(conn, conf)


def quota_class(store, conf, class_name):
    with store.read() as conn:
        return class_limits(conn, conf, class_name)


def limits_and_usage(store, conf, project_id):
    """(limits, usage) of the project, read in one transaction: what GET /limits shows."""
    with store.read() as conn:
        return limits_for(conn, conf, project_id), usage_for(conn, project_id)


def project_detail(store, conf, project_id):
    """{resource: {limit, in_use, reserved}}: usage of what is counted per project (servers,
    server groups, security groups), 0 for absolute and per-user resources; nothing is ever
    reserved."""
    with store.read() as conn:
        limits = limits_for(conn, conf, project_id)
        usage = usage_for(conn, project_id)
    return {resource: {'limit': limit, 'in_use': usage.get(resource, 0), 'reserved': 0}
            for resource, limit in limits.items()}


def update_project(store, conf, project_id, values, force=False):
    """Set the project's limits ({resource: int}); unless `force`, each must be -1 or at least
    what the project uses now (checked under the project's quota lock, so no create slips in
    between). All or nothing; returns the project's limits."""
    with store.write() as conn:
        lock_project(conn, project_id)
        usage = {} if force else usage_for(conn, project_id, locking=True)
        for resource, limit in values.items():
            _check_range(resource, limit)
            minimum = usage.get(resource, 0)
            if limit != -1 and limit < minimum:
                raise exception.Invalid('Quota limit %d for %s must be greater than or equal to already used '
                                        'and reserved %d.' % (limit, _api_name(resource), minimum))
        _upsert(conn, Q, Q.c.project_id, project_id, values)
        return limits_for(conn, conf, project_id)


def delete_project(store, project_id):
    """Back to the defaults: drop the project's own limits."""
    with store.write() as conn:
        conn.execute(Q.delete().where(Q.c.project_id == project_id))


def update_class(store, conf, class_name, values):
    """Set a quota class's limits ({resource: int}); returns the class's limits."""
    for resource, limit in values.items():
        _check_range(resource, limit)
    return store.transact(_update_class, conf, class_name, values, retry_duplicate=True)


def _update_class(conn, conf, class_name, values):
    _upsert(conn, QC, QC.c.class_name, class_name, values)
    return class_limits(conn, conf, class_name)


def _check_range(resource, limit):
    """-1 (unlimited) up to what the hard_limit column holds."""
    if limit < -1:
        raise exception.Invalid('Quota limit %d for %s must be -1 or greater.' % (limit, _api_name(resource)))
    if limit > MAX_LIMIT:
        raise exception.Invalid('Quota limit %d for %s must be less than or equal to %d.'
                                % (limit, _api_name(resource), MAX_LIMIT))


def _upsert(conn, table, key_column, key, values):
    """Write {resource: hard_limit} rows under `key`: update those present, insert the rest (a
    concurrent insert of the same row fails the unique constraint instead of duplicating it)."""
    if not values:
        return
    now = utcnow()
    present = set(conn.execute(sa.select(table.c.resource).where(key_column == key)
                               .where(table.c.resource.in_(list(values)))).scalars())
    for resource in sorted(present):
        conn.execute(table.update().where(key_column == key).where(table.c.resource == resource)
                     .values(hard_limit=values[resource], updated_at=now))
    missing = [{key_column.name: key, 'resource': resource, 'hard_limit': values[resource], 'created_at': now}
               for resource in sorted(set(values) - present)]
    if missing:
        conn.execute(table.insert(), missing)


def _api_name(resource):
    return 'injected_file_path_bytes' if resource == 'injected_file_path_length' else resource
