"""Images: list, detail, show, delete, filters, paging (catalogue §2.8; seed 000 examples 1.11-1.17, 1.37)."""
import datetime
import urllib.parse

import pytest
import sqlalchemy as sa

from compute_api.db import images as db_images
from compute_api.db import models

CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
CIRROS_ALT = 'a2459075-d96c-40d5-893e-577ff92e721c'
SERVER = '52415800-8b69-11e0-9b19-734f335aa7b3'


def add_image(store, name, owner='demo', is_public=False, status='active', image_id=None, props=None,
              created=None, **kw):
    with store.write() as conn:
        row = db_images.create(conn, name, owner=owner, is_public=is_public, status=status, image_id=image_id,
                               props=props, **kw)
        if created is not None:
            conn.execute(models.images.update().where(models.images.c.id == row['id'])
                         .values(created_at=created, updated_at=created))
    return row['id']


def ids(resp):
    return [image['id'] for image in resp.json['images']]


def test_seeded_images_are_public_and_active(client):
    images = client.get('/v2.1/demo/images/detail').json['images']
    assert sorted(i['id'] for i in images) == sorted([CIRROS, CIRROS_ALT])
    assert {(i['status'], i['progress']) for i in images} == {('ACTIVE', 100)}


def test_image_detail_shape_with_alternate_link(client, store):
    image_id = add_image(store, 'snap', size=74185822, min_disk=2, min_ram=512,
                         props={'instance_uuid': SERVER, 'image_type': 'snapshot', 'auto_disk_config': 'True'})
    image = client.get('/v2/demo/images/%s' % image_id).json['image']
    assert set(image) == {'id', 'name', 'minRam', 'minDisk', 'metadata', 'created', 'updated', 'status',
                          'progress', 'links', 'server', 'OS-EXT-IMG-SIZE:size', 'OS-DCF:diskConfig'}
    assert (image['name'], image['minRam'], image['minDisk'], image['OS-EXT-IMG-SIZE:size']) == (
        'snap', 512, 2, 74185822)
    assert image['links'] == [
        {'rel': 'self', 'href': 'http://localhost/v2/demo/images/%s' % image_id},
        {'rel': 'bookmark', 'href': 'http://localhost/demo/images/%s' % image_id},
        {'rel': 'alternate', 'type': 'application/vnd.openstack.image',
         'href': 'http://localhost/demo/images/%s' % image_id}]
    assert image['server'] == {'id': SERVER, 'links': [
        {'rel': 'self', 'href': 'http://localhost/v2/demo/servers/%s' % SERVER},
        {'rel': 'bookmark', 'href': 'http://localhost/demo/servers/%s' % SERVER}]}
    assert image['OS-DCF:diskConfig'] == 'AUTO'
    assert image['metadata']['image_type'] == 'snapshot'
    datetime.datetime.strptime(image['created'], '%Y-%m-%dT%H:%M:%SZ')


def test_alternate_link_uses_glance_link_prefix(client, conf):
    conf.set_override('glance_link_prefix', 'https://glance.example.com:9292/', group='api')
    image = client.get('/v2.1/demo/images/%s' % CIRROS).json['image']
    assert image['links'][2]['href'] == 'https://glance.example.com:9292/demo/images/%s' % CIRROS
    image = client.get('/v2.1/images/%s' % CIRROS).json['image']
    assert image['links'][2]['href'] == 'https://glance.example.com:9292/images/%s' % CIRROS


def test_base_image_has_no_server_and_no_disk_config(client):
    image = client.get('/v2.1/images/%s' % CIRROS).json['image']
    assert 'server' not in image and 'OS-DCF:diskConfig' not in image
    assert image['metadata'] == {} and image['OS-EXT-IMG-SIZE:size'] == 21430272


@pytest.mark.parametrize('glance_status, status, progress', [
    ('active', 'ACTIVE', 100), ('queued', 'SAVING', 25), ('saving', 'SAVING', 50), ('killed', 'ERROR', 0),
    ('pending_delete', 'DELETED', 0), ('frobnicated', 'UNKNOWN', 0)])
def test_statuses_and_progress(client, store, glance_status, status, progress):
    image_id = add_image(store, 'x', status=glance_status)
    image = client.get('/v2.1/images/%s' % image_id).json['image']
    assert (image['status'], image['progress']) == (status, progress)


def test_image_in_error_state(client, store):
    # Example 1.37: a snapshot whose upload failed shows ERROR and still names its server.
    image_id = add_image(store, 'My Server Backup', status='killed', props={'instance_uuid': SERVER})
    image = client.get('/v2/demo/images/%s' % image_id).json['image']
    assert (image['status'], image['progress'], image['server']['id']) == ('ERROR', 0, SERVER)
    assert image['links'][0] == {'rel': 'self', 'href': 'http://localhost/v2/demo/images/%s' % image_id}


def test_list_is_id_name_links(client):
    body = client.get('/v2/demo/images').json
    assert set(body) == {'images'}
    assert all(set(i) == {'id', 'name', 'links'} and [link['rel'] for link in i['links']] == ['self', 'bookmark',
                                                                                       'alternate']
               for i in body['images'])


def _three_pages(store):
    base = datetime.datetime(2011, 1, 1)
    return [add_image(store, name, created=base - datetime.timedelta(days=n), is_public=True, owner=None)
            for n, name in enumerate(['CentOS 5.2', 'My Server Backup', 'Backup 2'])]


@pytest.fixture
def three_pages(store, client):
    """Examples 1.12-1.17: three images of project 1234, paged with limit=1 (newest first)."""
    with store.write() as conn:
        conn.execute(models.images.delete())
    return _three_pages(store), client.as_user('demo', '1234')


def test_images_collection_first_page(three_pages):
    (first, _second, _last), client = three_pages
    page = client.get('/v2/1234/images?limit=1').json
    assert ids_of(page) == [first] and page['images'][0]['name'] == 'CentOS 5.2'
    assert page['images_links'] == [
        {'rel': 'next', 'href': 'http://localhost/v2/1234/images?limit=1&marker=%s' % first}]


def test_images_collection_second_page(three_pages):
    (first, second, _last), client = three_pages
    page = client.get('/v2/1234/images?limit=1&marker=%s' % first).json
    assert ids_of(page) == [second] and page['images'][0]['name'] == 'My Server Backup'
    assert page['images_links'] == [
        {'rel': 'next', 'href': 'http://localhost/v2/1234/images?limit=1&marker=%s' % second}]


def test_images_collection_last_page(three_pages):
    (_first, second, last), client = three_pages
    page = client.get('/v2/1234/images?limit=1&marker=%s' % second).json
    assert ids_of(page) == [last] and page['images'][0]['name'] == 'Backup 2'
    # A full page still links on; the page after the last is empty and has no link.
    page = client.get(_path(page)).json
    assert page == {'images': []}
    assert 'images_links' not in client.get('/v2/1234/images?limit=2&marker=%s' % second).json


def test_pages_without_a_full_page_have_no_next_link(client, store):
    _three_pages(store)
    body = client.get('/v2.1/images/detail?limit=10').json
    assert len(body['images']) == 5 and 'images_links' not in body


def ids_of(body):
    return [image['id'] for image in body['images']]


def _path(body):
    href = body['images_links'][0]['href']
    return href[len('http://localhost'):]


def test_walking_a_thousand_images_with_limit_7_returns_each_once(client, store):
    base = datetime.datetime(2020, 1, 1)
    rows = [{'id': '00000000-0000-0000-0000-%012d' % n, 'name': 'img-%d' % n, 'status': 'active',
             'is_public': n % 2 == 0, 'owner': 'demo', 'min_disk': 0, 'min_ram': 0, 'deleted': False,
             # Ten images share each timestamp: the id breaks the tie.
             'created_at': base + datetime.timedelta(seconds=n // 10), 'updated_at': base}
            for n in range(1000)]
    with store.write() as conn:
        conn.execute(models.images.insert(), rows)
    seen, path, pages = [], '/v2.1/demo/images?limit=7', 0
    while True:
        body = client.get(path).json
        pages += 1
        seen.extend(ids_of(body))
        if 'images_links' not in body:
            break
        path = _path(body)
    assert len(seen) == len(set(seen)) == 1002
    assert set(seen) >= {row['id'] for row in rows}
    assert pages == 1002 // 7 + 1


def test_filters(client, store):
    snap = add_image(store, 'snap-1', status='saving', min_disk=20, min_ram=1024,
                     props={'instance_uuid': SERVER, 'image_type': 'snapshot'})
    backup = add_image(store, 'backup-1', props={'instance_uuid': SERVER, 'image_type': 'backup'})
    other = add_image(store, 'other-snap', props={'instance_uuid': 'another', 'image_type': 'snapshot'})
    assert ids(client.get('/v2.1/images?name=snap-1')) == [snap]
    assert ids(client.get('/v2.1/images?status=SAVING')) == [snap]
    assert set(ids(client.get('/v2.1/images?status=ACTIVE'))) == {backup, other, CIRROS, CIRROS_ALT}
    assert set(ids(client.get('/v2.1/images?server=%s' % SERVER))) == {snap, backup}
    server_url = urllib.parse.quote('http://localhost/v2.1/demo/servers/%s' % SERVER, safe='')
    assert set(ids(client.get('/v2.1/images?server=%s' % server_url))) == {snap, backup}
    assert set(ids(client.get('/v2.1/images?type=SERVER'))) == {snap, backup, other}
    assert set(ids(client.get('/v2.1/images?type=BASE'))) == {CIRROS, CIRROS_ALT}
    assert set(ids(client.get('/v2.1/images?type=backup'))) == {backup}
    assert ids(client.get('/v2.1/images?minDisk=10')) == [snap]
    assert ids(client.get('/v2.1/images?minRam=1000&minDisk=20')) == [snap]
    assert ids(client.get('/v2.1/images?minRam=2048')) == []


def test_changes_since_also_lists_deleted_images(client, store):
    old = add_image(store, 'old', created=datetime.datetime(2000, 1, 1))
    gone = add_image(store, 'gone')
    client.delete('/v2.1/images/%s' % gone)
    assert gone not in ids(client.get('/v2.1/images'))
    body = client.get('/v2.1/images/detail?changes-since=2010-01-01T00:00:00Z').json
    statuses = {i['id']: i['status'] for i in body['images']}
    assert statuses[gone] == 'DELETED' and old not in statuses
    assert gone in ids(client.get('/v2.1/images?changes-since=2010-01-01T01:00:00%2B01:00'))


@pytest.mark.parametrize('query, message', [
    ('changes-since=yesterday', 'Invalid changes-since value'),
    ('minRam=lots', 'Invalid minRam filter [lots]'),
    ('minDisk=1.5', 'Invalid minDisk filter [1.5]'),
    ('limit=-1', 'limit param must be positive'),
    ('limit=x', 'limit param must be an integer'),
    ('marker=%s' % SERVER, 'marker [%s] not found' % SERVER),
])
def test_bad_query_values_are_400(client, query, message):
    assert client.get('/v2.1/images/detail?' + query, status=400).json['badRequest']['message'] == message


def test_private_images_are_invisible_to_other_projects(client, store, admin):
    mine = add_image(store, 'mine', owner='demo')
    other = client.as_user('other')
    assert mine in ids(client.get('/v2.1/images'))
    assert mine not in ids(other.get('/v2.1/images'))
    for path in ('/v2.1/images/%s', '/v2.1/images/%s/metadata'):
        assert other.get(path % mine, status=404).json['itemNotFound']['message'] == 'Image not found.'
    other.delete('/v2.1/images/%s' % mine, status=404)
    other.get('/v2.1/images?marker=%s' % mine, status=400)
    # Admins see every image.
    assert admin.get('/v2.1/images/%s' % mine).json['image']['id'] == mine


def test_unknown_image_is_404(client):
    resp = client.get('/v2.1/images/%s' % SERVER, status=404)
    assert resp.json == {'itemNotFound': {'code': 404, 'message': 'Image not found.'}}


def test_delete_own_image(client, store):
    image_id = add_image(store, 'mine')
    resp = client.delete('/v2.1/images/%s' % image_id)
    assert resp.status_int == 204 and resp.body == b''
    client.get('/v2.1/images/%s' % image_id, status=404)
    client.delete('/v2.1/images/%s' % image_id, status=404)
    with store.read() as conn:
        row = conn.execute(sa.select(models.images).where(models.images.c.id == image_id)).mappings().one()
    assert row['deleted'] and row['status'] == 'deleted' and row['deleted_at'] is not None


def test_public_image_of_another_owner_cannot_be_deleted(client, admin):
    resp = client.delete('/v2.1/images/%s' % CIRROS, status=403)
    assert resp.json['forbidden']['message'] == 'You are not allowed to delete the image.'
    admin.delete('/v2.1/images/%s' % CIRROS)
    client.get('/v2.1/images/%s' % CIRROS, status=404)


def test_post_images_is_405(client):
    resp = client.post('/v2.1/images', {'image': {'name': 'x'}}, status=405)
    assert resp.json['badMethod']['code'] == 405


def _boot(client, image_ref, flavor_ref='1', status=202):
    body = {'server': {'name': 'vm', 'imageRef': image_ref, 'flavorRef': flavor_ref}}
    return client.post('/v2.1/servers', body, status=status)


def test_deleting_an_image_in_use_is_allowed_and_the_server_keeps_its_reference(client, store, services):
    image_id = add_image(store, 'mine')
    server_id = _boot(client, image_id).json['server']['id']
    services.tasks.wait()
    client.delete('/v2.1/images/%s' % image_id)
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert server['status'] == 'ACTIVE'
    assert server['image'] == {'id': image_id, 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost/images/%s' % image_id}]}
    # Nobody boots from it any more.
    resp = _boot(client, image_id, status=400)
    assert resp.json['badRequest']['message'] == 'Can not find requested image'


def test_private_images_boot_only_in_their_project(client, store, services):
    image_id = add_image(store, 'mine')
    resp = _boot(client.as_user('other'), image_id, status=400)
    assert resp.json['badRequest']['message'] == 'Can not find requested image'
    _boot(client, image_id)
    services.tasks.wait()


@pytest.mark.parametrize('path', ['/v2.1/images/detail?limit=50', '/v2.1/images?limit=50&marker=%s' % CIRROS])
def test_image_pages_read_with_bounded_queries(client, store, path):
    for n in range(60):
        add_image(store, 'bulk-%d' % n, props={'k%d' % n: 'v', 'image_type': 'snapshot'})
    statements = []

    def count(*args):
        statements.append(args[2])
    sa.event.listen(store.engine, 'before_cursor_execute', count)
    try:
        client.get(path)
    finally:
        sa.event.remove(store.engine, 'before_cursor_execute', count)
    # The marker row, the page, its properties: whatever the number of images.
    assert len([s for s in statements if s.lstrip().upper().startswith('SELECT')]) <= 3
