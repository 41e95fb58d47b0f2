"""Image metadata: /images/{id}/metadata[/{key}] (catalogue §2.1, §2.8; seed 000 examples 1.18-1.19)."""
import pytest

from tests.functional.test_images import CIRROS
from tests.functional.test_images import add_image


@pytest.fixture
def image_id(store):
    return add_image(store, 'CentOS 5.2', props={'ImageVersion': '1.5', 'ImageType': 'Gold'})


def test_list_and_show(client, image_id):
    assert client.get('/v2.1/images/%s/metadata' % image_id).json == {
        'metadata': {'ImageVersion': '1.5', 'ImageType': 'Gold'}}
    assert client.get('/v2/demo/images/%s/metadata/ImageType' % image_id).json == {'meta': {'ImageType': 'Gold'}}
    resp = client.get('/v2.1/images/%s/metadata/nope' % image_id, status=404)
    assert resp.json['itemNotFound']['code'] == 404


def test_paginated_metadata(client, image_id):
    # Examples 1.18-1.19: a page of metadata items with a next link whose marker is the last key.
    body = client.get('/v2/demo/images/%s/metadata?limit=1' % image_id).json
    assert body == {'metadata': {'ImageType': 'Gold'}, 'metadata_links': [
        {'rel': 'next',
         'href': 'http://localhost/v2/demo/images/%s/metadata?limit=1&marker=ImageType' % image_id}]}
    body = client.get('/v2/demo/images/%s/metadata?limit=1&marker=ImageType' % image_id).json
    assert body['metadata'] == {'ImageVersion': '1.5'} and 'metadata_links' in body
    body = client.get('/v2/demo/images/%s/metadata?limit=1&marker=ImageVersion' % image_id).json
    assert body == {'metadata': {}}
    body = client.get('/v2/demo/images/%s/metadata?limit=5' % image_id).json
    assert body == {'metadata': {'ImageType': 'Gold', 'ImageVersion': '1.5'}}
    client.get('/v2/demo/images/%s/metadata?marker=Unknown' % image_id, status=400)


def test_post_merges_and_answers_everything(client, image_id):
    body = client.post('/v2.1/images/%s/metadata' % image_id, {'metadata': {'ImageType': 'Silver', 'os': 'linux'}})
    assert body.json == {'metadata': {'ImageVersion': '1.5', 'ImageType': 'Silver', 'os': 'linux'}}
    assert client.get('/v2.1/images/%s' % image_id).json['image']['metadata'] == body.json['metadata']


def test_put_replaces_everything(client, image_id):
    body = client.put('/v2.1/images/%s/metadata' % image_id, {'metadata': {'only': 'this'}}).json
    assert body == {'metadata': {'only': 'this'}}
    assert client.get('/v2.1/images/%s/metadata' % image_id).json == {'metadata': {'only': 'this'}}
    assert client.put('/v2.1/images/%s/metadata' % image_id, {'metadata': {}}).json == {'metadata': {}}


def test_put_one_item(client, image_id):
    body = client.put('/v2.1/images/%s/metadata/color' % image_id, {'meta': {'color': 'blue'}}).json
    assert body == {'meta': {'color': 'blue'}}
    assert client.get('/v2.1/images/%s/metadata' % image_id).json['metadata']['color'] == 'blue'
    resp = client.put('/v2.1/images/%s/metadata/color' % image_id, {'meta': {'colour': 'blue'}}, status=400)
    assert resp.json['badRequest']['message'] == 'Request body and URI mismatch'
    client.put('/v2.1/images/%s/metadata/color' % image_id, {'meta': {'color': 'a', 'b': 'c'}}, status=400)
    resp = client.put('/v2/demo/images/%s/metadata/color' % image_id, {'meta': {'color': 'a', 'b': 'c'}},
                      status=400)
    assert resp.json['badRequest']['message'] == 'Request body contains too many items'


def test_delete_item(client, image_id):
    resp = client.delete('/v2.1/images/%s/metadata/ImageType' % image_id)
    assert resp.status_int == 204 and resp.body == b''
    assert client.get('/v2.1/images/%s/metadata' % image_id).json == {'metadata': {'ImageVersion': '1.5'}}
    resp = client.delete('/v2.1/images/%s/metadata/ImageType' % image_id, status=404)
    assert resp.json['itemNotFound']['message'] == 'Invalid metadata key'


@pytest.mark.parametrize('body', [{}, {'metadata': 'x'}, {'metadata': {'k': 1}}, {'metadata': {'': 'v'}},
                                  {'metadata': {'k' * 256: 'v'}}, {'metadata': {'k': 'v' * 256}},
                                  {'metadata': {'k/slash': 'v'}}, {'meta': {'k': 'v'}}])
def test_bad_bodies_are_400_on_v21(client, image_id, body):
    client.post('/v2.1/images/%s/metadata' % image_id, body, status=400)
    client.put('/v2.1/images/%s/metadata' % image_id, body, status=400)


@pytest.mark.parametrize('key, message', [('', 'Image metadata key cannot be blank'),
                                          ('k' * 256, 'Image metadata key too long')])
def test_legacy_v2_key_checks(client, image_id, key, message):
    resp = client.post('/v2/demo/images/%s/metadata' % image_id, {'metadata': {key: 'v'}}, status=400)
    assert resp.json['badRequest']['message'] == message


def test_legacy_v2_accepts_keys_of_any_characters(client, image_id):
    body = client.post('/v2/demo/images/%s/metadata' % image_id, {'metadata': {'k/slash': 'v'}}).json
    assert body['metadata']['k/slash'] == 'v'


def test_metadata_quota_is_403(client, image_id, conf):
    conf.set_override('metadata_items', 3, group='quota')
    client.post('/v2.1/images/%s/metadata' % image_id, {'metadata': {'third': '3'}})
    for method in (client.post, client.put):
        resp = method('/v2.1/images/%s/metadata' % image_id, {'metadata': {'a': '1', 'b': '2', 'c': '3', 'd': '4'}},
                      status=403)
        assert resp.json == {'forbidden': {'code': 403, 'message': 'Image metadata limit exceeded'}}
    resp = client.put('/v2/demo/images/%s/metadata/fourth' % image_id, {'meta': {'fourth': '4'}}, status=403)
    assert resp.json['forbidden']['message'] == 'Image metadata limit exceeded'
    # Nothing was half-written.
    assert len(client.get('/v2.1/images/%s/metadata' % image_id).json['metadata']) == 3


def test_only_the_owner_changes_metadata(client, image_id, admin):
    other = client.as_user('other')
    other.get('/v2.1/images/%s/metadata' % image_id, status=404)
    other.post('/v2.1/images/%s/metadata' % image_id, {'metadata': {'a': 'b'}}, status=404)
    resp = client.post('/v2.1/images/%s/metadata' % CIRROS, {'metadata': {'a': 'b'}}, status=403)
    assert resp.json['forbidden']['message'] == 'Not authorized for image %s.' % CIRROS
    client.delete('/v2.1/images/%s/metadata/a' % CIRROS, status=403)
    assert client.get('/v2.1/images/%s/metadata' % CIRROS).json == {'metadata': {}}
    admin.post('/v2.1/images/%s/metadata' % CIRROS, {'metadata': {'a': 'b'}})
    assert client.get('/v2.1/images/%s/metadata/a' % CIRROS).json == {'meta': {'a': 'b'}}
