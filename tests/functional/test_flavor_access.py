"""Private flavors and their access lists (nova's os-flavor-access)."""
import sqlalchemy as sa

from compute_api.db import models

PRIVATE = {'name': 'private', 'id': 'p1', 'ram': 64, 'vcpus': 1, 'disk': 1, 'os-flavor-access:is_public': False}


def _private(admin):
    admin.post('/v2.1/flavors', {'flavor': PRIVATE})


def flavor_ids(client, path='/v2.1/flavors/detail'):
    return [f['id'] for f in client.get(path).json['flavors']]


def test_private_flavor_is_invisible_without_access(admin, client):
    _private(admin)
    assert 'p1' not in flavor_ids(client)
    resp = client.get('/v2.1/flavors/p1', status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor p1 could not be found.'
    # Admins list public flavors by default, private ones with is_public=false or none.
    assert 'p1' not in flavor_ids(admin)
    assert flavor_ids(admin, '/v2.1/flavors?is_public=false') == ['p1']
    assert 'p1' in flavor_ids(admin, '/v2.1/flavors?is_public=None')
    assert admin.get('/v2.1/flavors/p1').json['flavor']['os-flavor-access:is_public'] is False


def test_add_list_and_remove_access(admin, client):
    _private(admin)
    assert admin.get('/v2.1/flavors/p1/os-flavor-access').json == {'flavor_access': []}
    body = admin.post('/v2.1/flavors/p1/action', {'addTenantAccess': {'tenant': 'demo'}}).json
    assert body == {'flavor_access': [{'flavor_id': 'p1', 'tenant_id': 'demo'}]}
    body = admin.post('/v2/admin/flavors/p1/action', {'addTenantAccess': {'tenant': 'another'}}).json
    assert body == {'flavor_access': [{'flavor_id': 'p1', 'tenant_id': 'another'},
                                      {'flavor_id': 'p1', 'tenant_id': 'demo'}]}
    assert admin.get('/v2.1/flavors/p1/os-flavor-access').json == body
    # The project with access sees it, in lists and alone.
    assert 'p1' in flavor_ids(client)
    assert 'p1' in flavor_ids(client, '/v2.1/flavors')
    assert client.get('/v2.1/flavors/p1').json['flavor']['name'] == 'private'
    body = admin.post('/v2.1/flavors/p1/action', {'removeTenantAccess': {'tenant': 'demo'}}).json
    assert body == {'flavor_access': [{'flavor_id': 'p1', 'tenant_id': 'another'}]}
    assert 'p1' not in flavor_ids(client)
    client.get('/v2.1/flavors/p1', status=404)


def test_duplicate_and_missing_access(admin):
    _private(admin)
    admin.post('/v2.1/flavors/p1/action', {'addTenantAccess': {'tenant': 'demo'}})
    resp = admin.post('/v2.1/flavors/p1/action', {'addTenantAccess': {'tenant': 'demo'}}, status=409)
    assert resp.json['conflictingRequest']['message'] == (
        'Flavor access already exists for flavor p1 and project demo combination.')
    resp = admin.post('/v2.1/flavors/p1/action', {'removeTenantAccess': {'tenant': 'nobody'}}, status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor access not found for p1 / nobody combination.'
    resp = admin.post('/v2.1/flavors/nope/action', {'addTenantAccess': {'tenant': 'demo'}}, status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor nope could not be found.'


def test_public_flavors_have_no_access_list(admin):
    resp = admin.get('/v2.1/flavors/1/os-flavor-access', status=404)
    assert resp.json['itemNotFound']['message'] == 'Access list not available for public flavors.'
    admin.get('/v2.1/flavors/nope/os-flavor-access', status=404)


def test_bad_action_bodies(admin):
    _private(admin)
    for body in ({'addTenantAccess': {}}, {'addTenantAccess': {'tenant': ''}}, {'addTenantAccess': None},
                 {'removeTenantAccess': {'tenant': 'a', 'extra': 1}}, {'addTenantAccess': {'tenant': 5}}):
        admin.post('/v2.1/flavors/p1/action', body, status=400)
    resp = admin.post('/v2.1/flavors/p1/action', {'frobnicate': {}}, status=400)
    assert resp.json['badRequest']['message'] == 'There is no such action: frobnicate'
    admin.post('/v2.1/flavors/p1/action', {'a': 1, 'b': 2}, status=400)
    assert admin.get('/v2.1/flavors/p1/os-flavor-access').json == {'flavor_access': []}


def test_only_admins_manage_access(admin, client):
    _private(admin)
    client.get('/v2.1/flavors/p1/os-flavor-access', status=403)
    resp = client.post('/v2.1/flavors/p1/action', {'addTenantAccess': {'tenant': 'demo'}}, status=403)
    assert 'add_tenant_access' in resp.json['forbidden']['message']
    client.post('/v2.1/flavors/p1/action', {'removeTenantAccess': {'tenant': 'demo'}}, status=403)


def test_access_rows_follow_the_flavor(admin, store):
    _private(admin)
    admin.post('/v2.1/flavors/p1/action', {'addTenantAccess': {'tenant': 'demo'}})
    admin.delete('/v2.1/flavors/p1', status=202)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(models.flavor_projects)).scalar() == 0


def test_private_flavor_boots_only_with_access(admin, client, services):
    _private(admin)
    body = {'server': {'name': 'vm', 'imageRef': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'flavorRef': 'p1'}}
    resp = client.post('/v2.1/servers', body, status=400)
    assert resp.json['badRequest']['message'] == 'Invalid flavorRef provided.'
    admin.post('/v2.1/flavors/p1/action', {'addTenantAccess': {'tenant': 'demo'}})
    server = client.post('/v2.1/servers', body, status=202).json['server']
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % server['id']).json['server']['flavor']['id'] == 'p1'


def test_adding_access_to_a_public_flavor_is_409_from_2_7(admin):
    admin.as_user('admin', version='2.6').post('/v2.1/flavors/1/action', {'addTenantAccess': {'tenant': 'p1'}})
    resp = admin.as_user('admin', version='2.7').post('/v2.1/flavors/1/action',
                                                      {'addTenantAccess': {'tenant': 'p2'}}, status=409)
    assert resp.json == {'conflictingRequest': {'code': 409, 'message': 'Can not add access to a public flavor.'}}
