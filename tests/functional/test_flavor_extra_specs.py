"""Flavor extra specs: /flavors/{id}/os-extra_specs[/{key}] (nova's os-flavor-extra-specs)."""
import pytest


def test_crud(admin, client):
    assert client.get('/v2.1/flavors/1/os-extra_specs').json == {'extra_specs': {}}
    body = {'extra_specs': {'hw:cpu_policy': 'dedicated', 'quota:disk_read_bytes_sec': 10240}}
    assert admin.post('/v2.1/flavors/1/os-extra_specs', body).json == body
    expected = {'hw:cpu_policy': 'dedicated', 'quota:disk_read_bytes_sec': '10240'}
    assert client.get('/v2.1/flavors/1/os-extra_specs').json == {'extra_specs': expected}
    assert client.get('/v2/demo/flavors/1/os-extra_specs/hw:cpu_policy').json == {'hw:cpu_policy': 'dedicated'}
    # POST merges.
    admin.post('/v2.1/flavors/1/os-extra_specs', {'extra_specs': {'hw:cpu_policy': 'shared', 'new': 'x'}})
    specs = client.get('/v2.1/flavors/1/os-extra_specs').json['extra_specs']
    assert specs == {'hw:cpu_policy': 'shared', 'quota:disk_read_bytes_sec': '10240', 'new': 'x'}
    assert admin.put('/v2.1/flavors/1/os-extra_specs/new', {'new': 'y'}).json == {'new': 'y'}
    assert admin.put('/v2.1/flavors/1/os-extra_specs/added', {'added': 'z'}).json == {'added': 'z'}
    assert client.get('/v2.1/flavors/1/os-extra_specs/new').json == {'new': 'y'}
    resp = admin.delete('/v2.1/flavors/1/os-extra_specs/new', status=200)
    assert resp.body == b''
    resp = client.get('/v2.1/flavors/1/os-extra_specs/new', status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor 1 has no extra specs with key new.'
    admin.delete('/v2.1/flavors/1/os-extra_specs/new', status=404)
    # Other flavors are untouched.
    assert client.get('/v2.1/flavors/2/os-extra_specs').json == {'extra_specs': {}}


def test_unknown_flavor_is_404(admin):
    for call in (lambda: admin.get('/v2.1/flavors/nope/os-extra_specs', status=404),
                 lambda: admin.post('/v2.1/flavors/nope/os-extra_specs', {'extra_specs': {'a': 'b'}}, status=404),
                 lambda: admin.put('/v2.1/flavors/nope/os-extra_specs/a', {'a': 'b'}, status=404),
                 lambda: admin.delete('/v2.1/flavors/nope/os-extra_specs/a', status=404)):
        assert call().json['itemNotFound']['message'] == 'Flavor nope could not be found.'


@pytest.mark.parametrize('body', [{}, {'extra_specs': 'x'}, {'extra_specs': {'bad/key': 'v'}},
                                  {'extra_specs': {'k': 'v' * 256}}, {'extra_specs': {'k': None}},
                                  {'extra_specs': {'k': {'nested': 1}}}, {'extra_specs': {}, 'more': 1}])
def test_bad_create_bodies_are_400(admin, body):
    admin.post('/v2.1/flavors/1/os-extra_specs', body, status=400)
    assert admin.get('/v2.1/flavors/1/os-extra_specs').json == {'extra_specs': {}}


def test_update_takes_exactly_the_uri_key(admin):
    resp = admin.put('/v2.1/flavors/1/os-extra_specs/a', {'b': 'c'}, status=400)
    assert resp.json['badRequest']['message'] == 'Request body and URI mismatch'
    admin.put('/v2.1/flavors/1/os-extra_specs/a', {'a': 'c', 'b': 'd'}, status=400)
    admin.put('/v2.1/flavors/1/os-extra_specs/a', {}, status=400)


def test_only_admins_change_extra_specs(client):
    client.post('/v2.1/flavors/1/os-extra_specs', {'extra_specs': {'a': 'b'}}, status=403)
    client.put('/v2.1/flavors/1/os-extra_specs/a', {'a': 'b'}, status=403)
    resp = client.delete('/v2.1/flavors/1/os-extra_specs/a', status=403)
    assert 'os_compute_api:os-flavor-extra-specs:delete' in resp.json['forbidden']['message']


def test_private_flavor_specs_need_access(admin, client):
    admin.post('/v2.1/flavors', {'flavor': {'name': 'p', 'id': 'p', 'ram': 64, 'vcpus': 1, 'disk': 1,
                                            'os-flavor-access:is_public': False}})
    client.get('/v2.1/flavors/p/os-extra_specs', status=404)
    admin.post('/v2.1/flavors/p/action', {'addTenantAccess': {'tenant': 'demo'}})
    assert client.get('/v2.1/flavors/p/os-extra_specs').json == {'extra_specs': {}}
