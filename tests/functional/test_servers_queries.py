"""A list or show costs a bounded number of SQL statements whatever the number of servers and
metadata rows."""
import contextlib
import datetime
import uuid

import pytest
import sqlalchemy as sa

from compute_api.db import models
from tests.functional.test_servers import IMAGE


def _default_group(store, project):
    groups = models.security_groups
    with store.write() as conn:
        found = conn.execute(sa.select(groups.c.id).where(groups.c.project_id == project)
                             .where(groups.c.name == 'default')).scalar()
        if found is not None:
            return found
        return conn.execute(groups.insert().values(project_id=project, name='default', description='default',
                                                   created_at=datetime.datetime(2026, 1, 1))).inserted_primary_key[0]


def _insert_servers(store, count, first=0):
    """`count` servers of project demo straight into the tables (numbered from `first`, created
    in that order), each with 3 metadata items, 2 addresses and the default security group,
    every third one in ERROR with a fault."""
    now = datetime.datetime(2026, 1, 1)
    project = 'demo'
    default_group = _default_group(store, project)
    instances, metadata, addresses, faults, groups = [], [], [], [], []
    for n in range(first, first + count):
        server = str(uuid.uuid4())
        error = n % 3 == 0
        instances.append({
            'uuid': server, 'project_id': project, 'user_id': project, 'display_name': 'vm-%d' % n,
            'image_ref': IMAGE, 'flavor_id': '1', 'memory_mb': 512, 'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0,
            'swap': 0, 'vm_state': 'error' if error else 'active', 'task_state': None, 'power_state': 1,
            'progress': 100, 'host': 'compute-api', 'node': 'fake-mini', 'availability_zone': 'nova',
            'config_drive': '', 'auto_disk_config': False, 'launch_index': 0,
            'locked': False,
            'created_at': now + datetime.timedelta(seconds=n), 'updated_at': now, 'deleted': False})
        metadata.extend({'instance_uuid': server, 'key': 'k%d' % i, 'value': 'v'} for i in range(3))
        groups.append({'instance_uuid': server, 'security_group_id': default_group})
        addresses.extend([
            {'instance_uuid': server, 'network_label': 'private', 'address': '10.%d.%d.%d' % (
                n // 65536, n // 256 % 256, n % 256), 'version': 4, 'type': 'fixed',
             'mac_address': 'fa:16:3e:00:00:01', 'position': 0},
            {'instance_uuid': server, 'network_label': 'private', 'address': 'fd00::%x' % (n + 2), 'version': 6,
             'type': 'fixed', 'mac_address': 'fa:16:3e:00:00:01', 'position': 0}])
        if error:
            faults.append({'instance_uuid': server, 'code': 500, 'message': 'DriverError', 'details': '',
                           'created_at': now})
    with store.write() as conn:
        conn.execute(models.instances.insert(), instances)
        conn.execute(models.instance_metadata.insert(), metadata)
        conn.execute(models.instance_addresses.insert(), addresses)
        conn.execute(models.instance_faults.insert(), faults)
        conn.execute(models.instance_security_groups.insert(), groups)
    return [row['uuid'] for row in instances]


@contextlib.contextmanager
def counting(store):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    sa.event.listen(store.engine, 'before_cursor_execute', count)
    try:
        yield statements
    finally:
        sa.event.remove(store.engine, 'before_cursor_execute', count)


def _costs(client, store, servers):
    costs = {}
    for name, path in (('index', '/v2.1/servers'), ('detail', '/v2.1/servers/detail'),
                       ('page', '/v2.1/servers/detail?limit=5&marker=%s' % servers[-1]),
                       ('show', '/v2.1/servers/%s' % servers[0]),
                       ('metadata', '/v2.1/servers/%s/metadata' % servers[0]),
                       ('ips', '/v2.1/servers/%s/ips' % servers[0])):
        with counting(store) as statements:
            client.get(path)
        costs[name] = len(statements)
    return costs


@pytest.mark.parametrize('count', [10, 1000])
def test_list_and_show_cost_the_same_whatever_the_number_of_servers(client, services, count):
    few = _insert_servers(services.store, 3)
    baseline = _costs(client, services.store, few)
    _insert_servers(services.store, count, first=3)
    detail = client.get('/v2.1/servers/detail').json['servers']
    assert len(detail) == min(count + 3, services.conf.api.max_limit)
    assert detail[0]['metadata'] == {'k0': 'v', 'k1': 'v', 'k2': 'v'}
    assert len(detail[0]['addresses']['private']) == 2
    assert detail[0]['security_groups'] == [{'name': 'default'}]
    assert all(('fault' in s) == (int(s['name'].split('-')[1]) % 3 == 0) for s in detail)
    assert _costs(client, services.store, few) == baseline
    assert max(baseline.values()) <= 8, baseline


def test_a_page_is_an_index_range_scan_without_a_sort(client, services):
    if services.store.dialect != 'sqlite':
        pytest.skip('the plan is checked on SQLite, whose planner does not depend on table statistics')
    servers = _insert_servers(services.store, 5)
    captured = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith('SELECT') and 'ORDER BY' in statement:
            captured.append((statement, parameters))
    sa.event.listen(services.store.engine, 'before_cursor_execute', capture)
    try:
        client.get('/v2.1/servers?limit=2&marker=%s' % servers[3])
    finally:
        sa.event.remove(services.store.engine, 'before_cursor_execute', capture)
    statement, parameters = next((s, p) for s, p in captured if 'FROM instances' in s and 'LIMIT' in s)
    with services.store.engine.connect() as conn:
        plan = ' | '.join(row[-1] for row in conn.exec_driver_sql('EXPLAIN QUERY PLAN ' + statement, parameters))
    assert 'ix_instances_project_deleted_created' in plan, plan
    assert 'TEMP B-TREE' not in plan, plan
