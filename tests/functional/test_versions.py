"""Version discovery (seed examples 1.20-1.23) and media-type versioning."""
import pytest


def test_root_lists_both_versions_v20_first(app):
    resp = app.get('/', status=200)
    versions = resp.json['versions']
    assert [v['id'] for v in versions] == ['v2.0', 'v2.1']
    v20, v21 = versions
    assert v20 == {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '', 'min_version': '',
                   'updated': '2011-01-21T11:33:21Z',
                   'links': [{'rel': 'self', 'href': 'http://localhost/v2/'}]}
    assert v21['status'] == 'CURRENT'
    assert v21['min_version'] == '2.1' and v21['version'] >= '2.1'
    assert v21['links'] == [{'rel': 'self', 'href': 'http://localhost/v2.1/'}]
    assert resp.headers['x-openstack-request-id'].startswith('req-')


@pytest.mark.parametrize('path, version_id', [
    ('/v2/', 'v2.0'), ('/v2.1/', 'v2.1'), ('/v2.1/someproject', 'v2.1'), ('/v2.1/someproject/', 'v2.1'),
    ('/v2/someproject', 'v2.0'),
])
def test_version_documents_need_no_auth(app, path, version_id):
    doc = app.get(path, status=200).json['version']
    assert doc['id'] == version_id
    base = 'v2' if version_id == 'v2.0' else 'v2.1'
    assert doc['links'][0] == {'rel': 'self', 'href': 'http://localhost/%s/' % base}
    assert doc['links'][1]['rel'] == 'describedby'
    assert doc['media-types'] == [{'base': 'application/json',
                                   'type': 'application/vnd.openstack.compute+json;version=%s'
                                           % ('2' if version_id == 'v2.0' else '2.1')}]


@pytest.mark.parametrize('path', ['/v2', '/v2.1'])
def test_unslashed_version_redirects(app, path):
    resp = app.get(path, status=302)
    assert resp.headers['Location'] == 'http://localhost%s/' % path


def test_every_advertised_link_is_fetchable(app):
    for version in app.get('/').json['versions']:
        href = version['links'][0]['href'].replace('http://localhost', '')
        assert app.get(href, status=200).json['version']['id'] == version['id']


def test_unversioned_path_is_300_multiple_choices(app):
    # seed example 1.23 (JSON): every version, where the path lives in it, its media types
    resp = app.get('/servers/detail', status=300)
    assert resp.json == {'choices': [
        {'id': 'v2.0', 'status': 'SUPPORTED',
         'links': [{'rel': 'self', 'href': 'http://localhost/v2/servers/detail'}],
         'media-types': [{'base': 'application/json',
                          'type': 'application/vnd.openstack.compute+json;version=2'}]},
        {'id': 'v2.1', 'status': 'CURRENT',
         'links': [{'rel': 'self', 'href': 'http://localhost/v2.1/servers/detail'}],
         'media-types': [{'base': 'application/json',
                          'type': 'application/vnd.openstack.compute+json;version=2.1'}]},
    ]}


def test_version_by_media_type_in_accept(app):
    # seed example 1.20: no version in the URI, the Accept media type selects v2
    resp = app.get('/demo/flavors', status=200, headers={
        'X-Auth-Token': 'demo:demo', 'Accept': 'application/vnd.openstack.compute+json;version=2'})
    assert resp.json['flavors'][0]['links'][0]['href'] == 'http://localhost/v2/demo/flavors/1'
    assert 'X-OpenStack-Nova-API-Version' not in resp.headers


def test_version_by_media_type_in_content_type(app):
    resp = app.get('/demo/flavors/1', status=200, headers={
        'X-Auth-Token': 'demo:demo', 'Content-Type': 'application/json;version=2.1'})
    assert resp.json['flavor']['links'][0]['href'] == 'http://localhost/v2.1/demo/flavors/1'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'


def test_version_by_uri(app):
    # seed example 1.21
    resp = app.get('/v2/demo/flavors', status=200, headers={'X-Auth-Token': 'demo:demo'})
    assert resp.json['flavors'][0]['links'][1]['href'] == 'http://localhost/demo/flavors/1'


def test_healthcheck_needs_no_auth(app):
    app.get('/healthcheck', status=200)
    app.get('/healthcheck', status=200, headers={'Accept': 'application/json'})
