"""GET /extensions and /extensions/{alias}."""
from compute_api.api.handlers import extensions


def test_list_is_sorted_and_complete(client):
    listed = client.get('/v2.1/extensions').json['extensions']
    assert [e['alias'] for e in listed] == sorted(extensions.EXTENSIONS)
    for ext in listed:
        assert set(ext) == {'name', 'alias', 'description', 'namespace', 'updated', 'links'}
        assert ext['links'] == []


def test_show_and_unknown(client):
    ext = client.get('/v2/demo/extensions/OS-FLV-EXT-DATA').json['extension']
    assert ext['name'] == 'FlavorExtraData'
    resp = client.get('/v2.1/extensions/os-nothing', status=404)
    assert resp.json['itemNotFound']['code'] == 404
