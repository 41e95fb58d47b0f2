"""Flavor management: POST /flavors, DELETE /flavors/{id} (admin; nova's os-flavor-manage)."""
import uuid

import pytest

FLAVOR = {'name': 'test.flavor', 'ram': 1024, 'vcpus': 2, 'disk': 10}


def create(admin, status=200, prefix='/v2.1', **fields):
    return admin.post(prefix + '/flavors', {'flavor': dict(FLAVOR, **fields)}, status=status)


def test_create_answers_the_flavor_detail(admin):
    flavor = create(admin, id='42', swap=512, rxtx_factor=2.0, **{'OS-FLV-EXT-DATA:ephemeral': 5}).json['flavor']
    assert flavor == {
        'id': '42', 'name': 'test.flavor', 'ram': 1024, 'vcpus': 2, 'disk': 10,
        'links': [{'rel': 'self', 'href': 'http://localhost/v2.1/flavors/42'},
                  {'rel': 'bookmark', 'href': 'http://localhost/flavors/42'}],
        'OS-FLV-EXT-DATA:ephemeral': 5, 'OS-FLV-DISABLED:disabled': False, 'os-flavor-access:is_public': True,
        'swap': 512, 'rxtx_factor': 2.0}
    assert admin.get('/v2.1/flavors/42').json['flavor'] == flavor


def test_create_defaults_and_generated_id(admin, client):
    flavor = create(admin).json['flavor']
    assert str(uuid.UUID(flavor['id'])) == flavor['id']
    assert (flavor['swap'], flavor['OS-FLV-EXT-DATA:ephemeral'], flavor['rxtx_factor']) == ('', 0, 1.0)
    assert flavor['id'] in [f['id'] for f in client.get('/v2.1/flavors').json['flavors']]
    assert create(admin, name='nulled', id=None).json['flavor']['id'] != flavor['id']


@pytest.mark.parametrize('given, expected', [(1234, '1234'), ('abc.d_e-f g', 'abc.d_e-f g')])
def test_create_with_given_id(admin, given, expected):
    assert create(admin, id=given).json['flavor']['id'] == expected


def test_integer_strings_are_accepted(admin):
    flavor = create(admin, ram='2048', vcpus='4', disk='0', swap='0', rxtx_factor='1.5',
                    **{'os-flavor-access:is_public': 'false'}).json['flavor']
    assert (flavor['ram'], flavor['vcpus'], flavor['disk'], flavor['rxtx_factor']) == (2048, 4, 0, 1.5)
    assert flavor['os-flavor-access:is_public'] is False


def test_duplicates_are_409(admin):
    create(admin, id='dup')
    resp = create(admin, status=409, id='dup', name='other')
    assert resp.json == {'conflictingRequest': {'code': 409, 'message': 'Flavor with ID dup already exists.'}}
    resp = create(admin, status=409, id='other')
    assert resp.json['conflictingRequest']['message'] == 'Flavor with name test.flavor already exists.'
    resp = create(admin, status=409, prefix='/v2/admin', id='1', name='m1.tiny2')
    assert resp.json['conflictingRequest']['message'] == 'Flavor with ID 1 already exists.'


@pytest.mark.parametrize('fields', [
    {'ram': 0}, {'ram': -1}, {'vcpus': 0}, {'disk': -1}, {'swap': -1}, {'OS-FLV-EXT-DATA:ephemeral': -1},
    {'ram': 'lots'}, {'ram': '0'}, {'ram': 1.5}, {'ram': 2 ** 31}, {'vcpus': '0'}, {'rxtx_factor': 0},
    {'rxtx_factor': '0'}, {'rxtx_factor': -1.0}, {'rxtx_factor': 'fast'}, {'name': ''}, {'name': ' lead'},
    {'name': 'x' * 256}, {'id': ''}, {'id': ' lead'}, {'id': 'a/b'}, {'id': 'x' * 256},
    {'os-flavor-access:is_public': 'maybe'}, {'unknown': 1}, {'ram': None},
])
def test_invalid_bodies_are_400(admin, fields):
    resp = create(admin, status=400, **fields)
    assert resp.json['badRequest']['code'] == 400
    assert [f['name'] for f in admin.get('/v2.1/flavors/detail?is_public=none').json['flavors']
            ] == ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']


@pytest.mark.parametrize('missing', ['name', 'ram', 'vcpus', 'disk'])
def test_required_fields(admin, missing):
    body = {k: v for k, v in FLAVOR.items() if k != missing}
    admin.post('/v2.1/flavors', {'flavor': body}, status=400)
    admin.post('/v2/admin/flavors', {'flavor': body}, status=400)


def test_messages_for_values_out_of_range(admin):
    resp = create(admin, status=400, ram='0')
    assert resp.json['badRequest']['message'] == 'Invalid input received: ram must be >= 1'
    resp = create(admin, status=400, rxtx_factor='0')
    assert resp.json['badRequest']['message'] == (
        "Invalid input received: 'rxtx_factor' argument must be a float between 0 and 3.40282e+38")


def test_legacy_v2_ignores_unknown_keys_and_strips_the_name(admin):
    flavor = admin.post('/v2/admin/flavors', {'flavor': dict(FLAVOR, name=' spaced ', extra='x')}).json['flavor']
    assert flavor['name'] == 'spaced'
    assert flavor['links'][0]['href'].startswith('http://localhost/v2/admin/flavors/')


def test_only_admins_manage_flavors(client):
    resp = client.post('/v2.1/flavors', {'flavor': FLAVOR}, status=403)
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.")
    client.delete('/v2.1/flavors/1', status=403)


def test_delete(admin, client):
    create(admin, id='gone')
    resp = admin.delete('/v2.1/flavors/gone', status=202)
    assert resp.body == b''
    client.get('/v2.1/flavors/gone', status=404)
    resp = admin.delete('/v2.1/flavors/gone', status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor gone could not be found.'
    # The id and name are free again.
    assert create(admin, id='gone').json['flavor']['id'] == 'gone'


def test_deleting_a_flavor_takes_its_extra_specs_and_access(admin):
    create(admin, id='p', **{'os-flavor-access:is_public': False})
    admin.post('/v2.1/flavors/p/os-extra_specs', {'extra_specs': {'a': 'b'}})
    admin.post('/v2.1/flavors/p/action', {'addTenantAccess': {'tenant': 'demo'}})
    admin.delete('/v2.1/flavors/p', status=202)
    create(admin, id='p', **{'os-flavor-access:is_public': False})
    assert admin.get('/v2.1/flavors/p/os-extra_specs').json == {'extra_specs': {}}
    assert admin.get('/v2.1/flavors/p/os-flavor-access').json == {'flavor_access': []}


def test_concurrent_creates_of_one_name_make_one_flavor(admin):
    # Whatever the interleaving, the database's unique keys decide: one 200, the others 409.
    from concurrent.futures import ThreadPoolExecutor

    def attempt(n):
        resp = admin.post('/v2.1/flavors', {'flavor': dict(FLAVOR, name='racy', id='racy-%d' % n)}, status='*')
        return resp.status_int
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(attempt, range(8)))
    assert statuses == [200] + [409] * 7
    assert [f['name'] for f in admin.get('/v2.1/flavors').json['flavors']].count('racy') == 1
