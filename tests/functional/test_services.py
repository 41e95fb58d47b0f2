"""os-services (admin): the compute services from the services table, their up/down state from
the heartbeats, enable/disable and delete (nova 2.1), and what a disabled or down host means for
new servers."""
import datetime
import re

import pytest
import sqlalchemy as sa

from compute_api import runtime
from compute_api.db import models
from tests.functional.test_servers import boot


def listed(admin, query=''):
    services = admin.get('/v2.1/os-services' + query).json['services']
    for service in services:
        assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$', service.pop('updated_at'))
    return services


def _service_id(store, host='compute-api'):
    with store.read() as conn:
        return conn.execute(sa.select(models.services.c.id).where(models.services.c.host == host)).scalar()


def test_list_shows_the_compute_service_up(admin, store):
    assert listed(admin) == [{'id': _service_id(store), 'binary': 'nova-compute', 'host': 'compute-api',
                              'zone': 'nova', 'status': 'enabled', 'state': 'up', 'disabled_reason': None}]
    assert [s['host'] for s in admin.get('/v2/admin/os-services').json['services']] == ['compute-api']


@pytest.mark.parametrize('query, count', [
    ('?binary=nova-compute', 1), ('?host=compute-api', 1), ('?host=compute-api&binary=nova-compute', 1),
    ('?binary=nova-scheduler', 0), ('?host=elsewhere', 0), ('?host=compute', 0),
])
def test_filters(admin, query, count):
    assert len(listed(admin, query)) == count


def test_admin_only(client):
    resp = client.get('/v2.1/os-services', status=403)
    assert resp.json == {'forbidden': {
        'code': 403, 'message': "Policy doesn't allow os_compute_api:os-services:list to be performed."}}
    client.put('/v2.1/os-services/disable', {'host': 'compute-api', 'binary': 'nova-compute'}, status=403)
    client.delete('/v2.1/os-services/1', status=403)


def test_a_host_without_heartbeat_for_service_down_time_is_down_and_takes_no_server(admin, client, store):
    with store.write() as conn:  # its last heartbeat, long ago by the database's clock
        conn.execute(models.services.update().values(last_seen_up=datetime.datetime(2000, 1, 1)))
    assert [s['state'] for s in listed(admin)] == ['down']
    server = client.get('/v2.1/servers/%s' % boot(client).json['server']['id']).json['server']
    assert (server['status'], server['fault']['message']) == (
        'ERROR', 'No valid host was found. There are not enough hosts available.')
    hypervisors = admin.get('/v2.1/os-hypervisors').json['hypervisors']
    assert [h['state'] for h in hypervisors] == ['down']


def test_disable_with_a_reason_then_enable(admin, client, services):
    body = {'host': 'compute-api', 'binary': 'nova-compute', 'disabled_reason': 'maintenance'}
    assert admin.put('/v2.1/os-services/disable-log-reason', body).json == {'service': dict(body, status='disabled')}
    (service,) = listed(admin)
    assert (service['status'], service['state'], service['disabled_reason']) == ('disabled', 'up', 'maintenance')
    zone = admin.get('/v2.1/os-availability-zone/detail').json['availabilityZoneInfo'][0]
    assert zone['hosts']['compute-api']['nova-compute']['active'] is False
    # A disabled host takes no new servers (with one host: nova's "No valid host was found").
    server_id = boot(client).json['server']['id']
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['fault']['message']) == (
        'ERROR', 'No valid host was found. There are not enough hosts available.')
    body = {'host': 'compute-api', 'binary': 'nova-compute'}
    assert admin.put('/v2.1/os-services/enable', body).json == {'service': dict(body, status='enabled')}
    assert listed(admin)[0]['disabled_reason'] is None
    server_id = boot(client).json['server']['id']
    services.compute_host.tasks.wait()
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['status'] == 'ACTIVE'
    assert admin.put('/v2.1/os-services/disable', body).json == {'service': dict(body, status='disabled')}
    assert listed(admin)[0]['status'] == 'disabled'


@pytest.mark.parametrize('action, body, status, message', [
    ('disable', {'host': 'elsewhere', 'binary': 'nova-compute'}, 404,
     'Could not find binary nova-compute on host elsewhere.'),
    ('disable', {'host': 'compute-api', 'binary': 'nova-scheduler'}, 400,
     'Updating a nova-scheduler service is not supported. Only nova-compute services can be updated.'),
    ('disable-log-reason', {'host': 'compute-api', 'binary': 'nova-compute'}, 400, 'Missing disabled reason field'),
    ('force-down', {'host': 'compute-api', 'binary': 'nova-compute'}, 404, 'Unknown action'),
    ('disable', {'host': 'compute-api'}, 400, None),
    ('disable', {'host': 'compute-api', 'binary': 'nova-compute', 'extra': 1}, 400, None),
])
def test_bad_updates(admin, action, body, status, message):
    resp = admin.put('/v2.1/os-services/%s' % action, body, status=status)
    if message:
        (fault,) = resp.json.values()
        assert fault['message'] == message
    assert listed(admin)[0]['status'] == 'enabled'


def test_delete_is_refused_while_the_host_holds_servers(admin, client, services, store):
    server_id = boot(client).json['server']['id']
    service_id = _service_id(store)
    resp = admin.delete('/v2.1/os-services/%d' % service_id, status=409)
    assert resp.json['conflictingRequest']['message'] == (
        'Unable to delete compute service that is hosting instances. Migrate or delete the instances first.')
    services.compute_host.tasks.wait()
    client.delete('/v2.1/servers/%s' % server_id)
    services.compute_host.tasks.wait()
    admin.delete('/v2.1/os-services/%d' % service_id)
    assert listed(admin) == []
    assert admin.get('/v2.1/os-hypervisors').json['hypervisors'] == []
    admin.delete('/v2.1/os-services/%d' % service_id, status=404)
    assert admin.delete('/v2.1/os-services/x', status=400).json['badRequest']['message'] == (
        'Invalid input received: id must be an integer')
    # The host's next heartbeat registers it again.
    services.compute_host.report()
    assert [s['host'] for s in listed(admin)] == ['compute-api']


def test_builds_go_to_up_enabled_hosts_only(admin, client, services, conf, store):
    other = runtime.local_compute_host(conf, store, name='compute-2')
    other.start()
    services.compute.transport.hosts[other.name] = other
    try:
        admin.put('/v2.1/os-services/disable', {'host': 'compute-api', 'binary': 'nova-compute'})
        server_ids = [boot(client).json['server']['id'] for _ in range(4)]
        other.tasks.wait()
        for server_id in server_ids:
            server = admin.get('/v2.1/servers/%s' % server_id).json['server']
            assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('ACTIVE', 'compute-2')
        assert sorted(other.driver.list_instances()) == sorted(server_ids)
        assert services.compute_host.driver.list_instances() == []
        # Each action goes to the server's own host.
        admin.put('/v2.1/os-services/enable', {'host': 'compute-api', 'binary': 'nova-compute'})
        client.post('/v2.1/servers/%s/action' % server_ids[0], {'os-stop': None}, status=202)
        other.tasks.wait()
        assert client.get('/v2.1/servers/%s' % server_ids[0]).json['server']['status'] == 'SHUTOFF'
        hosts = {h['hypervisor_hostname'] and h['service']['host']: h['running_vms']
                 for h in admin.get('/v2.1/os-hypervisors/detail').json['hypervisors']}
        assert hosts == {'compute-api': 0, 'compute-2': 4}
        for server_id in server_ids:
            client.delete('/v2.1/servers/%s' % server_id)
        other.tasks.wait()
        assert other.driver.list_instances() == []
    finally:
        other.stop()
