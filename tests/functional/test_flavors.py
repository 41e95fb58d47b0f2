"""Flavors: list, detail, show, filters, paging, sorting (catalogue §2.7)."""
import urllib.parse

import pytest
import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import store as store_mod

DEFAULTS = [('1', 'm1.tiny', 512, 1, 1), ('2', 'm1.small', 2048, 1, 20), ('3', 'm1.medium', 4096, 2, 40),
            ('4', 'm1.large', 8192, 4, 80), ('5', 'm1.xlarge', 16384, 8, 160)]


def add_flavor(store, flavorid, name, ram=128, vcpus=1, disk=1, is_public=True, disabled=False, projects=(),
               swap=0, ephemeral=0):
    with store.write() as conn:
        fid = conn.execute(models.flavors.insert().values(
            flavorid=flavorid, name=name, memory_mb=ram, vcpus=vcpus, root_gb=disk, ephemeral_gb=ephemeral,
            swap=swap, rxtx_factor=1.0, disabled=disabled, is_public=is_public,
            created_at=store_mod.utcnow())).inserted_primary_key[0]
        for project in projects:
            conn.execute(models.flavor_projects.insert().values(flavor_id=fid, project_id=project))


def test_default_flavors_detail(client):
    flavors = client.get('/v2.1/demo/flavors/detail').json['flavors']
    assert [(f['id'], f['name'], f['ram'], f['vcpus'], f['disk']) for f in flavors] == DEFAULTS
    tiny = flavors[0]
    assert tiny == {
        'id': '1', 'name': 'm1.tiny', 'ram': 512, 'disk': 1, 'vcpus': 1,
        'links': [{'rel': 'self', 'href': 'http://localhost/v2.1/demo/flavors/1'},
                  {'rel': 'bookmark', 'href': 'http://localhost/demo/flavors/1'}],
        'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': False, 'os-flavor-access:is_public': True,
        'swap': '', 'rxtx_factor': 1.0}


def test_list_is_id_name_links(client):
    flavors = client.get('/v2/demo/flavors').json
    assert set(flavors) == {'flavors'}
    assert flavors['flavors'][1] == {
        'id': '2', 'name': 'm1.small',
        'links': [{'rel': 'self', 'href': 'http://localhost/v2/demo/flavors/2'},
                  {'rel': 'bookmark', 'href': 'http://localhost/demo/flavors/2'}]}


def test_show_and_swap_rendering(client, store):
    add_flavor(store, 'swapper', 'with-swap', swap=512, ephemeral=10)
    flavor = client.get('/v2.1/flavors/swapper').json['flavor']
    assert flavor['swap'] == 512 and flavor['OS-FLV-EXT-DATA:ephemeral'] == 10


def test_unknown_flavor_is_404(client):
    resp = client.get('/v2.1/flavors/42', status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor 42 could not be found.'


@pytest.mark.parametrize('query, expected', [
    ('minRam=4096', ['3', '4', '5']), ('minDisk=80', ['4', '5']), ('minRam=2048&minDisk=40', ['3', '4', '5']),
    ('minRam=999999', []),
])
def test_min_filters(client, query, expected):
    assert [f['id'] for f in client.get('/v2.1/flavors?' + query).json['flavors']] == expected


@pytest.mark.parametrize('query, message', [('minRam=abc', 'Invalid minRam filter [abc]'),
                                            ('minDisk=1.5', 'Invalid minDisk filter [1.5]'),
                                            ('limit=-1', 'limit param must be positive'),
                                            ('limit=x', 'limit param must be an integer'),
                                            ('marker=nope', 'marker [nope] not found')])
def test_bad_query_values_are_400(client, query, message):
    assert client.get('/v2.1/flavors/detail?' + query, status=400).json['badRequest']['message'] == message


def test_bad_sort_key_and_dir_are_400(client):
    client.get('/v2.1/flavors?sort_key=password', status=400)
    client.get('/v2.1/flavors?sort_dir=sideways', status=400)


def test_sorting(client):
    names = [f['name'] for f in client.get('/v2.1/flavors?sort_key=name&sort_dir=desc').json['flavors']]
    assert names == sorted(names, reverse=True)
    ids = [f['id'] for f in client.get('/v2.1/flavors/detail?sort_key=memory_mb&sort_dir=desc').json['flavors']]
    assert ids == ['5', '4', '3', '2', '1']


def test_pagination_links_and_last_page(client):
    page = client.get('/v2.1/demo/flavors?limit=2').json
    assert [f['id'] for f in page['flavors']] == ['1', '2']
    next_href = page['flavors_links'][0]['href']
    assert page['flavors_links'][0]['rel'] == 'next'
    parsed = urllib.parse.urlparse(next_href)
    assert parsed.path == '/v2.1/demo/flavors'
    assert urllib.parse.parse_qs(parsed.query) == {'limit': ['2'], 'marker': ['2']}
    seen = []
    href = '/v2.1/demo/flavors/detail?limit=2&minRam=1'
    while href:
        body = client.get(href).json
        seen.extend(f['id'] for f in body['flavors'])
        href = body.get('flavors_links', [{}])[0].get('href', '').replace('http://localhost', '')
        if href:
            assert 'minRam=1' in href
    assert seen == ['1', '2', '3', '4', '5']
    assert client.get('/v2.1/flavors?marker=5').json == {'flavors': []}


def test_limit_capped_by_max_limit(conf, client):
    conf.set_override('max_limit', 3, group='api')
    body = client.get('/v2.1/flavors?limit=100').json
    assert len(body['flavors']) == 3 and 'flavors_links' in body


def test_private_and_disabled_flavors_visibility(client, admin, store):
    add_flavor(store, 'priv', 'private-one', is_public=False)
    add_flavor(store, 'shared', 'shared-with-demo', is_public=False, projects=['demo'])
    add_flavor(store, 'off', 'disabled-one', disabled=True)
    demo_ids = {f['id'] for f in client.get('/v2.1/flavors').json['flavors']}
    assert demo_ids == {'1', '2', '3', '4', '5', 'shared'}
    client.get('/v2.1/flavors/priv', status=404)
    assert client.get('/v2.1/flavors/shared').json['flavor']['os-flavor-access:is_public'] is False
    other_ids = {f['id'] for f in client.as_user('eve').get('/v2.1/flavors?is_public=false').json['flavors']}
    assert other_ids == {'1', '2', '3', '4', '5'}
    # admins: is_public=None lists all, false only private, default public + disabled
    all_ids = {f['id'] for f in admin.get('/v2.1/flavors?is_public=None').json['flavors']}
    assert all_ids == {'1', '2', '3', '4', '5', 'priv', 'shared', 'off'}
    private = {f['id'] for f in admin.get('/v2.1/flavors?is_public=false').json['flavors']}
    assert private == {'priv', 'shared'}
    admin.get('/v2.1/flavors?is_public=maybe', status=400)
    assert admin.get('/v2.1/flavors/priv').json['flavor']['name'] == 'private-one'


def test_flavor_rows_read_with_bounded_queries(client, store):
    for i in range(30):
        add_flavor(store, 'bulk%02d' % i, 'bulk-%02d' % i)
    statements = []

    def count(*args):
        statements.append(args[2])
    sa.event.listen(store.engine, 'before_cursor_execute', count)
    try:
        assert len(client.get('/v2.1/flavors/detail').json['flavors']) == 35
    finally:
        sa.event.remove(store.engine, 'before_cursor_execute', count)
    assert len([s for s in statements if s.lstrip().upper().startswith('SELECT')]) <= 2
