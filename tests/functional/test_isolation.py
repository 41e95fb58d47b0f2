"""Another project's things are invisible: 404 (or the policy 403) with exactly the body a random
id gets, and no list or filter — all_tenants, tenant_id, project_id, deleted, is_public — ever
returns another project's rows to a non-admin. Callers: demo (member of project demo), eve
(member of project eve), admin (admin role, project admin)."""
import uuid

import pytest

from tests.functional.test_flavors import add_flavor


def assert_same_as_random(client, method, path, real_id, status=404, body=None):
    """`path` names `real_id`; answering it must look exactly like answering a random id."""
    fake_id = str(uuid.uuid4())
    call = getattr(client, method)
    args = (body,) if method in ('post', 'put') else ()
    real = call(path, *args, status=status)
    fake = call(path.replace(real_id, fake_id), *args, status=status)
    assert real.body == fake.body.replace(fake_id.encode(), real_id.encode())
    assert real.content_type == fake.content_type
    return real


def ids(resp, key):
    return {item['id'] for item in resp.json[key]}


# -- flavors ---------------------------------------------------------------------------------------

@pytest.fixture
def eves_flavor(store):
    """A private flavor shared with project eve only."""
    add_flavor(store, 'eve-private', 'eve.secret', is_public=False, projects=['eve'])
    return 'eve-private'


def test_private_flavor_of_another_project_is_a_random_id(client, eves_flavor):
    resp = assert_same_as_random(client, 'get', '/v2.1/demo/flavors/%s' % eves_flavor, eves_flavor)
    assert resp.json['itemNotFound']['message'] == 'Flavor eve-private could not be found.'
    assert_same_as_random(client, 'get', '/v2/demo/flavors/%s' % eves_flavor, eves_flavor)


PUBLIC = ['1', '2', '3', '4', '5']  # the seeded m1.* flavors, by flavorid


# What nova lists for a non-admin: the public flavors (is_public, all_tenants, project_id and
# tenant_id are ignored, whatever their value), paged and sorted as asked.
@pytest.mark.parametrize('query, listing', [
    ('', PUBLIC), ('?is_public=false', PUBLIC), ('?is_public=none', PUBLIC), ('?is_public=all', PUBLIC),
    ('?is_public=true', PUBLIC), ('?all_tenants=1', PUBLIC), ('?project_id=eve', PUBLIC),
    ('?tenant_id=eve', PUBLIC), ('?marker=1', PUBLIC[1:]),
    ('?sort_key=name&sort_dir=desc', ['5', '1', '2', '3', '4'])])  # xlarge, tiny, small, medium, large
def test_private_flavor_is_in_no_listing_of_another_project(client, eves_flavor, query, listing):
    for path in ('/v2.1/demo/flavors', '/v2.1/demo/flavors/detail', '/v2/demo/flavors/detail'):
        resp = client.get(path + query, status=200)
        assert [f['id'] for f in resp.json['flavors']] == listing
        assert b'eve-private' not in resp.body and b'eve.secret' not in resp.body


def test_private_flavor_is_visible_where_shared_and_to_admins(client, admin, eves_flavor):
    eve = client.as_user('eve')
    assert eve.get('/v2.1/eve/flavors/%s' % eves_flavor).json['flavor']['name'] == 'eve.secret'
    assert eves_flavor in ids(eve.get('/v2.1/eve/flavors'), 'flavors')
    assert admin.get('/v2.1/flavors/%s' % eves_flavor).json['flavor']['name'] == 'eve.secret'
    assert eves_flavor in ids(admin.get('/v2.1/flavors?is_public=none'), 'flavors')


def test_private_flavor_as_a_paging_marker_is_an_unknown_marker(client, eves_flavor):
    for path in ('/v2.1/demo/flavors', '/v2.1/demo/flavors/detail'):
        real = client.get(path + '?marker=' + eves_flavor, status=400)
        fake = client.get(path + '?marker=no-such-flavor', status=400)
        assert real.body == fake.body.replace(b'no-such-flavor', eves_flavor.encode())
