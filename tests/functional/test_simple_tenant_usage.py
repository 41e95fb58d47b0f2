"""os-simple-tenant-usage: hours servers ran in a period, per project (nova 2.1)."""
import datetime
import uuid

import pytest

from compute_api.db import models
from compute_api.db import store as store_mod

T0 = datetime.datetime(2026, 1, 1)


def add_server(store, project_id='demo', launched_at=T0, terminated_at=None, flavor_id='1', name='s',
               vm_state='active', vcpus=2, memory_mb=512, root_gb=1, ephemeral_gb=1):
    server_uuid = str(uuid.uuid4())
    with store.write() as conn:
        conn.execute(models.instances.insert().values(
            uuid=server_uuid, project_id=project_id, user_id='demo', display_name=name, flavor_id=flavor_id,
            memory_mb=memory_mb, vcpus=vcpus, root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=0,
            vm_state=vm_state, power_state=1, progress=0, config_drive='', auto_disk_config=False,
            launch_index=0, locked=False, launched_at=launched_at, terminated_at=terminated_at,
            deleted=terminated_at is not None, created_at=store_mod.utcnow()))
    return server_uuid


def period(start, end):
    return '?start=%s&end=%s' % (start.strftime('%Y-%m-%dT%H:%M:%S'), end.strftime('%Y-%m-%dT%H:%M:%S'))


def test_show_counts_the_hours_in_the_period(client, store):
    running = add_server(store, name='running', launched_at=T0 - datetime.timedelta(hours=5))
    deleted = add_server(store, name='gone', launched_at=T0 + datetime.timedelta(hours=1),
                         terminated_at=T0 + datetime.timedelta(hours=2), vm_state='deleted')
    add_server(store, name='before', launched_at=T0 - datetime.timedelta(hours=9),
               terminated_at=T0 - datetime.timedelta(hours=8))
    add_server(store, name='after', launched_at=T0 + datetime.timedelta(hours=20))
    add_server(store, name='never launched', launched_at=None)
    add_server(store, project_id='other')
    usage = client.get('/v2.1/os-simple-tenant-usage/demo' + period(T0, T0 + datetime.timedelta(hours=10)))
    usage = usage.json['tenant_usage']
    servers = usage.pop('server_usages')
    assert usage == {'tenant_id': 'demo', 'start': '2026-01-01T00:00:00.000000', 'stop': '2026-01-01T10:00:00.000000',
                     'total_hours': 11.0, 'total_vcpus_usage': 22.0, 'total_memory_mb_usage': 5632.0,
                     'total_local_gb_usage': 22.0}
    by_name = {s['name']: s for s in servers}
    assert set(by_name) == {'running', 'gone'}  # never launched: nothing used
    uptime = by_name['running'].pop('uptime')
    assert uptime > 5 * 3600
    assert by_name['running'] == {
        'instance_id': running, 'name': 'running', 'hours': 10.0, 'memory_mb': 512, 'local_gb': 2, 'vcpus': 2,
        'tenant_id': 'demo', 'flavor': 'm1.tiny', 'started_at': '2025-12-31T19:00:00.000000', 'ended_at': None,
        'state': 'active'}
    assert by_name['gone'] == {
        'instance_id': deleted, 'name': 'gone', 'hours': 1.0, 'memory_mb': 512, 'local_gb': 2, 'vcpus': 2,
        'tenant_id': 'demo', 'flavor': 'm1.tiny', 'started_at': '2026-01-01T01:00:00.000000',
        'ended_at': '2026-01-01T02:00:00.000000', 'state': 'terminated', 'uptime': 3600}


def test_show_of_a_project_without_servers_is_empty(client):
    assert client.get('/v2.1/os-simple-tenant-usage/demo').json == {'tenant_usage': {}}


def test_list_is_per_project_and_detailed_on_request(admin, store):
    add_server(store, project_id='p1', launched_at=T0)
    add_server(store, project_id='p2', launched_at=T0, flavor_id='gone-flavor')
    add_server(store, project_id='p1', launched_at=T0)
    query = period(T0, T0 + datetime.timedelta(hours=2))
    usages = admin.get('/v2.1/os-simple-tenant-usage' + query).json['tenant_usages']
    assert [(u['tenant_id'], u['total_hours']) for u in usages] == [('p1', 4.0), ('p2', 2.0)]
    assert all('server_usages' not in u for u in usages)
    detailed = admin.get('/v2.1/os-simple-tenant-usage' + query + '&detailed=1').json['tenant_usages']
    assert [len(u['server_usages']) for u in detailed] == [2, 1]
    assert detailed[1]['server_usages'][0]['flavor'] == ''


def test_the_period_ends_now_at_the_latest(client, store):
    add_server(store, launched_at=store_mod.utcnow() - datetime.timedelta(hours=1))
    usage = client.get('/v2.1/os-simple-tenant-usage/demo?end=2999-01-01T00:00:00').json['tenant_usage']
    assert 0 < usage['total_hours'] <= 1.01
    assert usage['stop'] < '2999'


@pytest.mark.parametrize('query, message', [
    ('?start=yesterday', 'Invalid datetime string: Datetime is in invalid format'),
    ('?start=2026-01-01T00:00:00Z', 'Invalid datetime string: Datetime is in invalid format'),
    ('?start=2026-01-02T00:00:00&end=2026-01-01T00:00:00',
     'Invalid start time. The start time cannot occur after the end time.'),
    ('?start=2026-01-01T00:00:00&end=2026-01-01T00:00:00',
     'Invalid start time. The start time cannot occur after the end time.'),
])
def test_bad_periods_are_400(client, query, message):
    resp = client.get('/v2.1/os-simple-tenant-usage/demo' + query, status=400)
    assert resp.json == {'badRequest': {'code': 400, 'message': message}}


@pytest.mark.parametrize('query', ['?start=2026-01-01T00:00:00.5&end=2026-01-01 01:00:00.000000',
                                   '?start=2026-01-01T00:00:00'])
def test_all_of_novas_time_formats_are_accepted(client, query):
    client.get('/v2.1/os-simple-tenant-usage/demo' + query)


def test_list_is_admin_only_and_show_is_for_the_project(client):
    resp = client.get('/v2.1/os-simple-tenant-usage', status=403)
    assert 'os_compute_api:os-simple-tenant-usage:list' in resp.json['forbidden']['message']
    resp = client.get('/v2.1/os-simple-tenant-usage/other', status=403)
    assert 'os_compute_api:os-simple-tenant-usage:show' in resp.json['forbidden']['message']
