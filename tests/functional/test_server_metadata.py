"""/servers/{id}/metadata (GET, POST merge, PUT replace) and /metadata/{key} (GET, PUT, DELETE)."""
import pytest

from compute_api.db import models
from tests.functional.test_servers import boot
from tests.functional.test_servers import fault_message


@pytest.fixture
def server(client, services):
    """An ACTIVE server of project demo with metadata {a: 1, b: 2}."""
    server_id = boot(client, metadata={'a': '1', 'b': '2'}).json['server']['id']
    services.tasks.wait()
    return server_id


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_list_and_show_items(client, server, prefix):
    url = '%s/servers/%s/metadata' % (prefix, server)
    assert client.get(url).json == {'metadata': {'a': '1', 'b': '2'}}
    assert client.get(url + '/a').json == {'meta': {'a': '1'}}
    resp = client.get(url + '/nope', status=404)
    assert resp.json == {'itemNotFound': {'code': 404, 'message': 'Metadata item was not found'}}


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_post_merges_and_put_replaces(client, server, prefix):
    url = '%s/servers/%s/metadata' % (prefix, server)
    merged = client.post(url, {'metadata': {'b': 'two', 'c': '3'}}).json
    assert merged == {'metadata': {'a': '1', 'b': 'two', 'c': '3'}}
    replaced = client.put(url, {'metadata': {'z': '26'}}).json
    assert replaced == {'metadata': {'z': '26'}}
    assert client.get(url).json == {'metadata': {'z': '26'}}
    assert client.get('%s/servers/%s' % (prefix, server)).json['server']['metadata'] == {'z': '26'}
    assert client.put(url, {'metadata': {}}).json == {'metadata': {}}


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_set_and_delete_one_item(client, server, prefix):
    url = '%s/servers/%s/metadata' % (prefix, server)
    assert client.put(url + '/c', {'meta': {'c': '3'}}).json == {'meta': {'c': '3'}}
    assert client.put(url + '/a', {'meta': {'a': 'one'}}).json == {'meta': {'a': 'one'}}
    client.delete(url + '/b', status=204)
    assert client.get(url).json == {'metadata': {'a': 'one', 'c': '3'}}
    resp = client.delete(url + '/b', status=404)
    assert fault_message(resp) == 'Metadata item was not found'


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_item_body_must_match_the_uri(client, server, prefix):
    url = '%s/servers/%s/metadata' % (prefix, server)
    resp = client.put(url + '/c', {'meta': {'d': '4'}}, status=400)
    assert fault_message(resp) == 'Request body and URI mismatch'
    client.put(url + '/c', {'meta': {'c': '3', 'd': '4'}}, status=400)
    client.put(url + '/c', {'metadata': {'c': '3'}}, status=400)


def test_limits(client, server):
    url = '/v2.1/servers/%s/metadata' % server
    resp = client.post(url, {'metadata': {'k%d' % i: 'v' for i in range(127)}}, status=403)
    assert fault_message(resp) == 'Maximum number of metadata items exceeds 128'
    assert client.get(url).json == {'metadata': {'a': '1', 'b': '2'}}  # nothing half-written
    client.put(url, {'metadata': {'k%d' % i: 'v' for i in range(128)}})
    client.post(url, {'metadata': {'k': 'v' * 256}}, status=400)
    client.post(url, {'metadata': {'bad/key': 'v'}}, status=400)
    resp = client.post('/v2/demo/servers/%s/metadata' % server, {'metadata': {'k': 'v' * 256}}, status=413)
    assert list(resp.json) == ['overLimit']


def test_quota_counts_after_the_merge(client, server, services):
    services.conf.set_override('metadata_items', 3, group='quota')
    url = '/v2.1/servers/%s/metadata' % server
    client.post(url, {'metadata': {'a': 'x', 'c': '3'}})
    client.post(url, {'metadata': {'d': '4'}}, status=403)
    client.put(url + '/a', {'meta': {'a': 'y'}})


def test_building_server_refuses_changes_with_409(client, services, monkeypatch):
    monkeypatch.setattr(services.tasks, 'submit', lambda fn, *args: None)
    server_id = boot(client).json['server']['id']
    resp = client.post('/v2.1/servers/%s/metadata' % server_id, {'metadata': {'a': '1'}}, status=409)
    assert fault_message(resp) == ("Cannot 'update metadata' instance %s while it is in vm_state building"
                                   % server_id)
    client.get('/v2.1/servers/%s/metadata' % server_id)


def test_locked_server_refuses_its_owner(client, admin, server, services):
    with services.store.write() as conn:
        conn.execute(models.instances.update().where(models.instances.c.uuid == server).values(
            locked=True, locked_by='admin'))
    url = '/v2.1/servers/%s/metadata' % server
    resp = client.post(url, {'metadata': {'c': '3'}}, status=409)
    assert fault_message(resp) == 'Instance %s is locked' % server
    client.delete(url + '/a', status=409)
    admin.post(url, {'metadata': {'c': '3'}})


def test_another_projects_server_is_404(client, server):
    other = client.as_user('other')
    url = '/v2.1/servers/%s/metadata' % server
    other.get(url, status=404)
    other.post(url, {'metadata': {'c': '3'}}, status=404)
    other.delete(url + '/a', status=404)
    assert client.get(url).json == {'metadata': {'a': '1', 'b': '2'}}
