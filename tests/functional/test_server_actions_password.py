"""GET/DELETE /servers/{id}/os-server-password: no metadata service here, so no guest ever
posted a password."""
from tests.functional.test_server_actions import IMAGE
from tests.functional.test_server_actions import fault


def test_password_is_empty_and_clearing_it_is_a_204(client, services):
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    for prefix in ('/v2.1', '/v2/demo'):
        url = '%s/servers/%s/os-server-password' % (prefix, server_id)
        assert client.get(url).json == {'password': ''}
        resp = client.delete(url, status=204)
        assert resp.body == b''
    other = client.as_user('other')
    resp = other.get('/v2.1/servers/%s/os-server-password' % server_id, status=404)
    assert fault(resp)[2] == 'Instance %s could not be found.' % server_id
    other.delete('/v2.1/servers/%s/os-server-password' % server_id, status=404)
