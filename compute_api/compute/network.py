"""The built-in address allocator over the networks of [network] networks.

Each configured network "label:ipv4_cidr[:ipv6_cidr]" has a stable id, uuid5(NETWORK_NAMESPACE,
label), so a client can name it in a create request ({"networks": [{"uuid": ...}]}) and the id
survives restarts and is the same on every API process. A server gets the lowest free IPv4
address of each network it is on (the network address, the first host, which is the gateway, and
the broadcast address are never handed out) and, when the network has an IPv6 prefix, the lowest
free IPv6 address from ::2 on; both share one MAC address fa:16:3e:xx:xx:xx.

Addresses are allocated inside the create transaction. The unique constraint on
(network_label, address) is what guarantees no address is given twice: two concurrent creates
that pick the same address collide on it, and the loser retries with the next one (its insert
does nothing on the conflict, or fails under a savepoint on MariaDB/MySQL), so its transaction
goes on.

Finding the lowest free address costs an index lookup or two, not a read of the network: each
address row carries its host index (offset from the network's first assignable address), and
the network's address_pools row holds lowest_free, below which every host index is in use. A
create locks that row (so creates in one network take turns there), tries lowest_free (free
unless a delete lowered it below used addresses) and, when taken, reads the used host indexes
from there up until the first gap; it moves lowest_free past what it took. A delete lowers it
to the lowest address it frees (db/instances.soft_delete).
"""
import dataclasses
import functools
import ipaddress
import random
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as mysql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from compute_api import exception
from compute_api.db import models

A = models.instance_addresses
POOLS = models.address_pools

# Network ids are uuid5(NETWORK_NAMESPACE, label).
NETWORK_NAMESPACE = uuid.UUID('9d7c3b9e-0f51-5a57-8a7e-2e1d6c2f4b10')
MAC_PREFIX = 'fa:16:3e'
# How many collisions one address allocation tolerates before giving up (each is another
# create that took the address first; far more than concurrent creates ever produce).
MAX_COLLISIONS = 64
# How many used host indexes one read of the allocator takes while it looks for a gap.
PROBE_ROWS = 64
# host_index is a signed 64-bit column: an IPv6 fixed IP further up has none.
MAX_HOST_INDEX = 2 ** 63 - 1


# The allocator's statements are built once: building one costs more than running it.
_POOL = sa.and_(POOLS.c.network_label == sa.bindparam('pool_label'), POOLS.c.version == sa.bindparam('pool_version'))
_READ_POOL = sa.select(POOLS.c.lowest_free).where(_POOL)
_LOCK_POOL = _READ_POOL.with_for_update()
_MOVE_POOL = POOLS.update().where(_POOL)
_USED = (sa.select(A.c.host_index).where(A.c.network_label == sa.bindparam('used_label'))
         .where(A.c.version == sa.bindparam('used_version')).where(A.c.host_index >= sa.bindparam('used_from'))
         .order_by(A.c.host_index).limit(PROBE_ROWS))
_INSERT = A.insert()
# A row another server holds (the unique network_label + address) is not inserted.
_INSERT_SQLITE = sqlite_dialect.insert(A).on_conflict_do_nothing()


@functools.cache
def _postgresql_insert():
    """PostgreSQL's insert construct, imported on first use: only a PostgreSQL deployment needs
    its dialect module (~2 MB)."""
    from sqlalchemy.dialects import postgresql
    return postgresql.insert


@functools.cache
def _insert_postgresql():
    # (psycopg2 reports no row count for it: the RETURNING row says whether it was inserted.)
    return _postgresql_insert()(A).on_conflict_do_nothing().returning(A.c.id)


@dataclasses.dataclass(frozen=True)
class Network:
    label: str
    id: str
    ipv4: ipaddress.IPv4Network
    ipv6: ipaddress.IPv6Network = None


def network_id(label):
    return str(uuid.uuid5(NETWORK_NAMESPACE, label))


def configured_networks(conf):
    """The networks of [network] networks, in order (the first is the default)."""
    return _parse_networks(tuple(conf.network.networks))


@functools.lru_cache(maxsize=16)
def _parse_networks(specs):
    """Parsed once per value of the option (every create needs them)."""
    result = []
    for spec in specs:
        label, _sep, rest = spec.partition(':')
        # An IPv6 CIDR contains colons: the IPv4 CIDR is up to the first colon, the rest is IPv6.
        ipv4_text, _sep, ipv6_text = rest.partition(':')
        try:
            ipv4 = ipaddress.IPv4Network(ipv4_text.strip(), strict=False)
            ipv6 = ipaddress.IPv6Network(ipv6_text.strip(), strict=False) if ipv6_text.strip() else None
        except ValueError as exc:
            raise ValueError('[network] networks: bad entry %r: %s' % (spec, exc)) from None
        result.append(Network(label.strip(), network_id(label.strip()), ipv4, ipv6))
    return tuple(result)


@dataclasses.dataclass(frozen=True)
class Request:
    """One interface a server asks for: a network, and optionally the exact fixed IP."""
    network: Network
    fixed_ip: str = None


def plan(conf, requested):
    """The interfaces for a create request's `networks` value: None or "auto" -> the first
    network; "none" -> no interface; else a list of {uuid, fixed_ip?, port?}."""
    networks = configured_networks(conf)
    if requested is None or requested == 'auto':
        return [Request(networks[0])] if networks else []
    if requested == 'none':
        return []
    by_id = {n.id: n for n in networks}
    result = []
    seen = set()
    for item in requested:
        if item.get('port'):
            # There are no ports without a network service.
            raise exception.PortNotFound(port_id=item['port'])
        net_id = item.get('uuid')
        network = by_id.get(net_id)
        if network is None:
            raise exception.NetworkNotFound(network_id=net_id)
        if net_id in seen:
            raise exception.NetworkDuplicated(network_id=net_id)
        seen.add(net_id)
        fixed_ip = item.get('fixed_ip')
        if fixed_ip is not None:
            try:
                address = ipaddress.ip_address(fixed_ip)
            except ValueError:
                raise exception.FixedIpInvalid(address=fixed_ip) from None
            cidr = network.ipv4 if address.version == 4 else network.ipv6
            if cidr is None or not _assignable(cidr, int(address)):
                raise exception.FixedIpNotFoundForNetwork(address=fixed_ip, network_uuid=net_id)
        result.append(Request(network, fixed_ip))
    return result


def network_info(conf, instance_uuid, addresses):
    """The server's interfaces as a driver takes them (driver.Guest.network_info): one per
    network it is on, in allocation order, from its address rows. An interface's MAC is the one
    the allocator recorded (the API shows it as OS-EXT-IPS-MAC:mac_addr); its id is stable,
    uuid5 of the server and that MAC, and its device name nova's, "tap" + the id's first 11
    characters. The gateway is each network's first host; a network no longer configured is
    described by its addresses alone (host prefixes, no gateway)."""
    networks = {network.label: network for network in configured_networks(conf)}
    interfaces = {}
    for row in sorted(addresses, key=lambda row: (row['position'], row['version'])):
        interface = interfaces.get(row['position'])
        if interface is None:
            interface_id = str(uuid.uuid5(NETWORK_NAMESPACE, '%s/%s' % (instance_uuid, row['mac_address'])))
            interface = interfaces[row['position']] = {
                'id': interface_id, 'address': row['mac_address'], 'devname': 'tap' + interface_id[:11],
                'type': 'bridge', 'network': {'id': network_id(row['network_label']),
                                              'label': row['network_label'], 'subnets': []}}
        network = networks.get(row['network_label'])
        cidr = (network.ipv4 if row['version'] == 4 else network.ipv6) if network is not None else None
        if cidr is None:
            cidr, gateway = ipaddress.ip_network(row['address']), None
        else:
            gateway = str(cidr.network_address + 1)
        interface['network']['subnets'].append({'version': row['version'], 'cidr': str(cidr), 'gateway': gateway,
                                                'ips': [row['address']]})
    return tuple(interfaces.values())


def _host_range(cidr):
    """(first, last) assignable addresses as integers: not the network address, not the first
    host (the gateway), not the IPv4 broadcast address."""
    return int(cidr.network_address) + 2, int(cidr.broadcast_address) - (1 if cidr.version == 4 else 0)


def _assignable(cidr, address):
    first, last = _host_range(cidr)
    return first <= address <= last


def _host_index(cidr, address):
    index = int(address) - _host_range(cidr)[0]
    return index if 0 <= index <= MAX_HOST_INDEX else None


def allocate(conn, instance_uuid, requests, rng=random):
    """Insert the address rows of one server for `requests`; returns them."""
    # Lock the pools this server takes lowest-free addresses from up front, in one order, so
    # two creates (or a create and a delete) never wait on each other's pools in a cycle.
    lowest_free = {}
    for label, version in sorted({(request.network.label, cidr.version) for request in requests
                                  for cidr in (request.network.ipv4, request.network.ipv6)
                                  if cidr is not None and not _wants_fixed(request, cidr)}):
        lowest_free[label, version] = _lock_pool(conn, label, version)
    rows = []
    for position, request in enumerate(requests):
        mac = '%s:%02x:%02x:%02x' % (MAC_PREFIX, rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        network = request.network
        wanted = ipaddress.ip_address(request.fixed_ip) if request.fixed_ip else None
        for cidr in (network.ipv4, network.ipv6):
            if cidr is None:
                continue
            fixed = wanted if wanted is not None and wanted.version == cidr.version else None
            row = {'instance_uuid': instance_uuid, 'network_label': network.label, 'version': cidr.version,
                   'type': 'fixed', 'mac_address': mac, 'position': position}
            if fixed is not None:
                _claim_fixed(conn, row, cidr, fixed)
            else:
                _claim_lowest_free(conn, row, cidr, lowest_free[network.label, cidr.version])
            rows.append(row)
    return rows


def _wants_fixed(request, cidr):
    return request.fixed_ip is not None and ipaddress.ip_address(request.fixed_ip).version == cidr.version


def _lock_pool(conn, label, version):
    """Lock the pool row of (label, version), creating it when missing, for the rest of the
    caller's writing transaction; returns its lowest_free."""
    params = {'pool_label': label, 'pool_version': version}
    dialect = conn.dialect.name
    if dialect in ('sqlite', 'postgresql'):
        # SQLite: the write transaction began IMMEDIATE, it is the only writer. PostgreSQL: a
        # missing row is inserted (waiting for a concurrent insert of it to finish), then locked.
        lowest_free = conn.execute(_LOCK_POOL, params).scalar()
        if lowest_free is not None:
            return lowest_free
        insert = sqlite_dialect.insert if dialect == 'sqlite' else _postgresql_insert()
        conn.execute(insert(POOLS).values(network_label=label, version=version, lowest_free=0)
                     .on_conflict_do_nothing())
    elif conn.execute(_READ_POOL, params).first() is None:
        # MariaDB/MySQL: created in its own short transaction (an INSERT IGNORE in ours would
        # take a shared lock two creates could deadlock upgrading), as quotas.lock_project does.
        with conn.engine.begin() as own:
            own.execute(mysql_dialect.insert(POOLS).prefix_with('IGNORE')
                        .values(network_label=label, version=version, lowest_free=0))
    return conn.execute(_LOCK_POOL, params).scalar_one()


def _try_insert(conn, row, cidr, address):
    """Insert the row with `address`; False when another server holds it."""
    row['address'] = str(address)
    row['host_index'] = _host_index(cidr, address)
    if conn.dialect.name == 'sqlite':
        return conn.execute(_INSERT_SQLITE, row).rowcount == 1
    if conn.dialect.name == 'postgresql':
        return conn.execute(_insert_postgresql(), row).first() is not None
    try:
        # MariaDB/MySQL: under a savepoint (INSERT IGNORE would ignore more than the duplicate).
        with conn.begin_nested():
            conn.execute(_INSERT, row)
    except sa.exc.IntegrityError:
        return False
    return True


def _claim_fixed(conn, row, cidr, address):
    if not _try_insert(conn, row, cidr, address):
        holder = conn.execute(sa.select(A.c.instance_uuid).where(A.c.network_label == row['network_label'])
                              .where(A.c.address == str(address))).scalar()
        raise exception.FixedIpAlreadyInUse(address=str(address), instance_uuid=holder)


def _claim_lowest_free(conn, row, cidr, lowest_free):
    """Take the lowest free host index from `lowest_free` (the pool row locked) up."""
    first, last = _host_range(cidr)
    address_class = type(cidr.network_address)
    params = {'used_label': row['network_label'], 'used_version': cidr.version}
    candidate = lowest_free
    collisions = 0
    # Creates take addresses in order, so lowest_free itself is usually free: it is tried
    # before reading which host indexes are in use.
    walk = False
    while first + candidate <= last:
        if walk:
            # Walk the used host indexes from the candidate up to the first gap.
            taken = conn.execute(_USED, dict(params, used_from=candidate)).scalars().all()
            for index in taken:
                if index != candidate:
                    break
                candidate += 1
            else:
                if len(taken) == PROBE_ROWS:
                    continue
            if first + candidate > last:
                break
        if _try_insert(conn, row, cidr, address_class(first + candidate)):
            conn.execute(_MOVE_POOL, {'pool_label': row['network_label'], 'pool_version': cidr.version,
                                      'lowest_free': candidate + 1})
            return
        # Taken: by a server holding it since a delete lowered lowest_free, or by a concurrent
        # create that asked for it as its fixed IP. Skip it and go on.
        collisions += 1
        if collisions > MAX_COLLISIONS:
            break
        candidate += 1
        walk = True
    raise exception.NoMoreFixedIps(network=row['network_label'])
