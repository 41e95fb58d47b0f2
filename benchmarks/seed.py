"""Bulk rows for the table-size scenarios, written straight through SQLAlchemy Core (the API
would take minutes for 100,000 servers). Seeded servers are ACTIVE, each with one fixed address on
the one network (from 10.64.0.0 up, clear of the allocator's lowest-free addresses), one
metadata item and its project's default security group, as the create path would leave them.
The first 1,000 belong to the benchmark project; the rest are spread over 100 other projects, so
a table of 100,000 servers is a big cloud, not one giant project: the benchmark project's pages
and quota are the same size at 1,000 and at 100,000 servers, and what grows is the table.

Server i has the uuid 00000000-0000-4000-8000-<i as 12 hex digits>, so a run knows ids without
reading them back.
"""
import datetime
import ipaddress

import sqlalchemy as sa

from compute_api.db import models

PROJECT = 'bench'
PROJECT_SERVERS = 1000
OTHER_PROJECTS = 100
USER = 'bench'
HOST = 'bench'
NETWORK = 'private'
FIRST_ADDRESS = ipaddress.IPv4Address('10.64.0.0')
# The network is 10.0.0.0/8 (run.py): host indexes count from its first assignable address.
FIRST_HOST = ipaddress.IPv4Address('10.0.0.2')
IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
CHUNK = 5000


def server_uuid(index):
    return '00000000-0000-4000-8000-%012x' % index


def project_of(index):
    return PROJECT if index < PROJECT_SERVERS else 'other-%02d' % (index % OTHER_PROJECTS)


def project_servers(size):
    """How many of `size` seeded servers are the benchmark project's (indexes 0 .. n-1)."""
    return min(size, PROJECT_SERVERS)


def seeded_count(conn):
    return conn.execute(sa.select(sa.func.count()).select_from(models.instances)
                        .where(models.instances.c.uuid.like('00000000-0000-4000-8000-%'))).scalar()


def _default_groups(conn, epoch):
    """{project: its default security group's id}, made where missing."""
    groups = models.security_groups
    projects = [PROJECT] + ['other-%02d' % n for n in range(OTHER_PROJECTS)]
    ids = dict(conn.execute(sa.select(groups.c.project_id, groups.c.id).where(groups.c.name == 'default')
                            .where(groups.c.project_id.in_(projects))).all())
    missing = [project for project in projects if project not in ids]
    if missing:
        conn.execute(groups.insert(), [{'project_id': project, 'user_id': USER, 'name': 'default',
                                        'description': 'default', 'created_at': epoch} for project in missing])
        return _default_groups(conn, epoch)
    return ids


def _rows(start, stop, epoch, default_groups):
    instances, addresses, metadata, security_groups = [], [], [], []
    for i in range(start, stop):
        uuid = server_uuid(i)
        created = epoch + datetime.timedelta(seconds=i)
        name = 'bench-%d' % i
        instances.append({
            'uuid': uuid, 'project_id': project_of(i), 'user_id': USER, 'display_name': name,
            'display_description': name, 'hostname': name, 'image_ref': IMAGE, 'flavor_id': '1',
            'memory_mb': 512, 'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
            'vm_state': 'active', 'task_state': None, 'power_state': 1, 'progress': 100,
            'host': HOST, 'node': HOST, 'availability_zone': 'nova', 'access_ip_v4': None,
            'access_ip_v6': None, 'key_name': None, 'key_data': None, 'user_data': None,
            'config_drive': '', 'auto_disk_config': False, 'reservation_id': 'r-bench%07d' % i,
            'launch_index': 0, 'locked': False,
            'launched_at': created, 'created_at': created, 'updated_at': created, 'deleted': False,
        })
        addresses.append({
            'instance_uuid': uuid, 'network_label': NETWORK, 'address': str(FIRST_ADDRESS + i), 'version': 4,
            'type': 'fixed', 'mac_address': 'fa:16:3e:%02x:%02x:%02x' % (i >> 16 & 255, i >> 8 & 255, i & 255),
            'position': 0, 'host_index': int(FIRST_ADDRESS + i) - int(FIRST_HOST),
        })
        metadata.append({'instance_uuid': uuid, 'key': 'role', 'value': 'bench'})
        security_groups.append({'instance_uuid': uuid, 'security_group_id': default_groups[project_of(i)]})
    return instances, addresses, metadata, security_groups


def seed(url, total):
    """Bring the seeded servers up to `total`; returns how many were added."""
    engine = sa.create_engine(url)
    try:
        epoch = datetime.datetime(2026, 1, 1)
        with engine.begin() as conn:
            start = seeded_count(conn)
            default_groups = _default_groups(conn, epoch)
        for chunk_start in range(start, total, CHUNK):
            instances, addresses, metadata, security_groups = _rows(chunk_start, min(total, chunk_start + CHUNK),
                                                                    epoch, default_groups)
            with engine.begin() as conn:
                conn.execute(models.instances.insert(), instances)
                conn.execute(models.instance_addresses.insert(), addresses)
                conn.execute(models.instance_metadata.insert(), metadata)
                conn.execute(models.instance_security_groups.insert(), security_groups)
        if engine.dialect.name == 'postgresql' and total > start:
            with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as conn:
                conn.exec_driver_sql('ANALYZE')
        return max(0, total - start)
    finally:
        engine.dispose()
