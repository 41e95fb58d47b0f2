"""Compute services and their nodes (nova's services and compute_nodes tables).

Heartbeats and liveness use the database's clock (utc_now()), never a host's: a host whose clock
drifts is still judged by the same clock as every other.
"""
import uuid as uuid_mod

import sqlalchemy as sa
from sqlalchemy.ext import compiler

from compute_api.db import models

SVC = models.services
NODES = models.compute_nodes
INST = models.instances


class utc_now(sa.sql.expression.FunctionElement):
    """The database's current UTC time, as a naive timestamp with sub-second precision."""
    type = sa.DateTime()
    inherit_cache = True


@compiler.compiles(utc_now)
def _utc_now_default(element, compiler_, **kw):
    return 'CURRENT_TIMESTAMP'


@compiler.compiles(utc_now, 'sqlite')
def _utc_now_sqlite(element, compiler_, **kw):
    return "STRFTIME('%Y-%m-%d %H:%M:%f', 'now')"


@compiler.compiles(utc_now, 'postgresql')
def _utc_now_postgresql(element, compiler_, **kw):
    return "(CLOCK_TIMESTAMP() AT TIME ZONE 'UTC')"


@compiler.compiles(utc_now, 'mysql')
def _utc_now_mysql(element, compiler_, **kw):
    return 'UTC_TIMESTAMP(6)'


_LIVE = SVC.c.deleted == 0
COMPUTE_BINARY = 'nova-compute'


def heartbeat(conn, host, binary):
    """One report of the service `binary` on `host`, registering it when it has no live row."""
    now = utc_now()
    # No UPDATE ... RETURNING: MariaDB has none.
    if conn.execute(SVC.update().where(SVC.c.host == host).where(SVC.c.binary == binary).where(_LIVE)
                    .values(report_count=SVC.c.report_count + 1, last_seen_up=now, updated_at=now)).rowcount:
        return
    conn.execute(SVC.insert().values(
        uuid=str(uuid_mod.uuid4()), host=host, binary=binary, report_count=1, last_seen_up=now,
        disabled=False, forced_down=False, created_at=now, updated_at=now, deleted=0))


def list_services(conn, host=None, binary=None):
    """Live services (filtered by exact host and binary), oldest first, each with the database's
    time of the read as 'now'."""
    query = sa.select(SVC, utc_now().label('now')).where(_LIVE).order_by(SVC.c.id)
    if host is not None:
        query = query.where(SVC.c.host == host)
    if binary is not None:
        query = query.where(SVC.c.binary == binary)
    return [dict(row) for row in conn.execute(query).mappings()]


def get(conn, service_id):
    row = conn.execute(sa.select(SVC).where(SVC.c.id == service_id).where(_LIVE)).mappings().first()
    return dict(row) if row else None


def update(conn, host, binary, values):
    """Change the live service of (host, binary); whether there was one."""
    return conn.execute(SVC.update().where(SVC.c.host == host).where(SVC.c.binary == binary).where(_LIVE)
                        .values(dict(values, updated_at=utc_now()))).rowcount > 0


def delete(conn, service):
    """Soft-delete the service (and a compute service's nodes) unless it is a compute service
    whose host holds live servers; whether it was deleted."""
    if service['binary'] == COMPUTE_BINARY:
        if conn.execute(sa.select(INST.c.id).where(INST.c.host == service['host'])
                        .where(INST.c.deleted == sa.false()).limit(1)).first() is not None:
            return False
        conn.execute(NODES.update().where(NODES.c.host == service['host']).where(NODES.c.deleted == 0)
                     .values(deleted=NODES.c.id, updated_at=utc_now()))
    conn.execute(SVC.update().where(SVC.c.id == service['id']).values(deleted=SVC.c.id, updated_at=utc_now()))
    return True


def report_node(conn, host, node):
    """Record the host's node as its driver describes it (`node`: the compute_nodes columns)."""
    name = node['hypervisor_hostname']
    now = utc_now()
    live = (NODES.c.host == host) & (NODES.c.hypervisor_hostname == name) & (NODES.c.deleted == 0)
    if not conn.execute(NODES.update().where(live).values(dict(node, updated_at=now))).rowcount:
        conn.execute(NODES.insert().values(dict(node, host=host, created_at=now, deleted=0)))


def lock_nodes(conn, node_ids):
    """Lock these nodes' rows for the rest of the transaction, in id order (no deadlock between
    two lockers). SQLite's write transaction is the only writer already."""
    conn.execute(sa.select(NODES.c.id).where(NODES.c.id.in_(sorted(node_ids))).order_by(NODES.c.id)
                 .with_for_update()).all()


def list_nodes(conn):
    """Live nodes with the state of their host's compute service ('service_*' columns), by id."""
    query = (sa.select(NODES, SVC.c.id.label('service_id'), SVC.c.disabled.label('service_disabled'),
                       SVC.c.disabled_reason.label('service_disabled_reason'),
                       SVC.c.forced_down.label('service_forced_down'),
                       SVC.c.last_seen_up.label('service_last_seen_up'),
                       SVC.c.updated_at.label('service_updated_at'), SVC.c.binary.label('service_binary'),
                       utc_now().label('now'))
             .join(SVC, (SVC.c.host == NODES.c.host) & (SVC.c.binary == COMPUTE_BINARY) & _LIVE)
             .where(NODES.c.deleted == 0).order_by(NODES.c.id))
    return [dict(row) for row in conn.execute(query).mappings()]
