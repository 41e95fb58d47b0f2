"""GET /servers/{id}/os-instance-actions[/{request_id}]: what was done to a server, by whom."""
import re

from tests.functional.test_server_actions import IMAGE
from tests.functional.test_server_actions import act
from tests.functional.test_server_actions import fault

TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$')


def boot(client, services, metadata=None):
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1', 'metadata': metadata or {}}}
    resp = client.post('/v2.1/servers', body, status=202)
    services.tasks.wait()
    # nova's compatibility header names the same request (clients such as tempest read it).
    assert resp.headers['x-compute-request-id'] == resp.headers['x-openstack-request-id']
    return resp.json['server']['id'], resp.headers['x-openstack-request-id']


def actions(client, server_id, prefix='/v2.1'):
    return client.get('%s/servers/%s/os-instance-actions' % (prefix, server_id)).json['instanceActions']


def test_actions_are_listed_newest_first_with_their_request_ids(client, services):
    server_id, create_request = boot(client, services)
    reboot_request = act(client, server_id, {'reboot': {'type': 'SOFT'}}).headers['x-openstack-request-id']
    services.tasks.wait()
    act(client, server_id, {'lock': None}, prefix='/v2/demo')
    listed = actions(client, server_id, prefix='/v2/demo')
    assert [a['action'] for a in listed] == ['lock', 'reboot', 'create']
    assert [a['request_id'] for a in listed[1:]] == [reboot_request, create_request]
    for action in listed:
        assert set(action) == {'action', 'instance_uuid', 'request_id', 'user_id', 'project_id', 'start_time',
                               'message'}
        assert (action['instance_uuid'], action['user_id'], action['project_id'], action['message']) == (
            server_id, 'demo', 'demo', None)
        assert TIME.match(action['start_time'])


def test_show_has_events_for_admins_only(client, admin, services):
    server_id, create_request = boot(client, services)
    url = '/v2.1/servers/%s/os-instance-actions/%s' % (server_id, create_request)
    action = client.get(url).json['instanceAction']
    assert (action['action'], action['request_id'], action['instance_uuid']) == ('create', create_request, server_id)
    assert 'events' not in action
    (event,) = admin.get(url).json['instanceAction']['events']
    assert (event['event'], event['result'], event['traceback']) == ('compute_create', 'Success', None)
    assert TIME.match(event['start_time']) and TIME.match(event['finish_time'])


def test_a_failed_action_says_error(client, admin, services):
    server_id, _request = boot(client, services, metadata={'fake:fail': 'pause'})
    request = act(client, server_id, {'pause': None}).headers['x-openstack-request-id']
    services.tasks.wait()
    assert actions(client, server_id)[0]['message'] == 'Error'
    url = '/v2.1/servers/%s/os-instance-actions/%s' % (server_id, request)
    assert admin.get(url).json['instanceAction']['events'][0]['result'] == 'Error'


def test_a_failed_build_says_error(client, services):
    server_id, _request = boot(client, services, metadata={'fake:fail': 'spawn'})
    (create,) = actions(client, server_id)
    assert (create['action'], create['message']) == ('create', 'Error')


def test_unknown_request_or_server_is_a_404(client, services):
    server_id, request = boot(client, services)
    resp = client.get('/v2.1/servers/%s/os-instance-actions/req-nothing' % server_id, status=404)
    assert fault(resp) == ('itemNotFound', 404, 'Action for request_id req-nothing on instance %s not found'
                           % server_id)
    other = client.as_user('other')
    other.get('/v2.1/servers/%s/os-instance-actions' % server_id, status=404)
    other.get('/v2.1/servers/%s/os-instance-actions/%s' % (server_id, request), status=404)
