"""POST /os-server-external-events (admin): each event answered with its code (200 accepted, 404
no such server, 422 no host yet), 207 when they differ, 404 when no event found its server."""
import uuid

import pytest

from tests.functional.test_server_actions import boot, fault, unscheduled_server

PATH = '/v2.1/os-server-external-events'


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/admin'])
def test_events_for_servers_on_the_host_are_accepted(client, admin, services, prefix):
    server_id = boot(client, services)
    events = [{'name': 'network-changed', 'server_uuid': server_id},
              {'name': 'network-vif-plugged', 'server_uuid': server_id, 'tag': 'port-1', 'status': 'failed'}]
    resp = admin.post(prefix + '/os-server-external-events', {'events': events}, status=200)
    assert resp.json == {'events': [
        {'name': 'network-changed', 'server_uuid': server_id, 'code': 200, 'status': 'completed'},
        {'name': 'network-vif-plugged', 'server_uuid': server_id, 'tag': 'port-1', 'code': 200,
         'status': 'completed'}]}


def test_mixed_outcomes_are_a_multi_status(client, admin, services):
    server_id, missing = boot(client, services), str(uuid.uuid4())
    no_host = unscheduled_server(client, services)
    events = [{'name': 'network-changed', 'server_uuid': server_id},
              {'name': 'network-vif-unplugged', 'server_uuid': missing},
              {'name': 'network-vif-deleted', 'server_uuid': no_host, 'status': 'completed'}]
    resp = admin.post(PATH, {'events': events}, status=207)
    assert [(event['server_uuid'], event['code'], event['status']) for event in resp.json['events']] == [
        (server_id, 200, 'completed'), (missing, 404, 'failed'), (no_host, 422, 'failed')]


def test_no_event_finding_its_server_is_not_found(client, admin, services):
    events = [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4())},
              {'name': 'network-changed', 'server_uuid': unscheduled_server(client, services)}]
    assert fault(admin.post(PATH, {'events': events}, status=404)) == \
        ('itemNotFound', 404, 'No instances found for any event')


def test_a_deleted_server_is_not_found(client, admin, services):
    server_id = boot(client, services)
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    admin.post(PATH, {'events': [{'name': 'network-changed', 'server_uuid': server_id}]}, status=404)


@pytest.mark.parametrize('body', [
    {}, {'events': []}, {'events': {}},
    {'events': [{'name': 'network-changed'}]},
    {'events': [{'name': 'volume-extended', 'server_uuid': str(uuid.uuid4())}]},  # a 2.51 event
    {'events': [{'name': 'network-changed', 'server_uuid': 'not-a-uuid'}]},
    {'events': [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()), 'status': 'done'}]},
    {'events': [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()), 'tag': 'x' * 256}]},
    {'events': [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()), 'code': 200}]},
])
def test_bodies_nova_refuses_are_bad_requests(admin, body):
    assert fault(admin.post(PATH, body, status=400))[:2] == ('badRequest', 400)


def test_only_admins_send_events(client, services):
    server_id = boot(client, services)
    resp = client.post(PATH, {'events': [{'name': 'network-changed', 'server_uuid': server_id}]}, status=403)
    assert fault(resp)[:2] == ('forbidden', 403)
