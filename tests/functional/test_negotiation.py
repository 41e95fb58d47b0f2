"""Formats, request bodies, microversions, the URL project check, request ids (seed 003, 1.1-1.3)."""
import pytest

from compute_api.api import microversion

TOKEN = {'X-Auth-Token': 'demo:demo'}


def test_json_is_the_default(app):
    resp = app.get('/v2.1/flavors/1', headers=TOKEN, status=200)
    assert resp.content_type == 'application/json'
    assert resp.json['flavor']['id'] == '1'


@pytest.mark.parametrize('accept', ['application/json', 'application/vnd.openstack.compute+json', '*/*',
                                    'application/*', 'application/xml;q=0.9, application/json;q=0.5'])
def test_accept_allowing_json_is_served(app, accept):
    app.get('/v2.1/flavors', headers=dict(TOKEN, Accept=accept), status=200)


@pytest.mark.parametrize('accept', ['application/xml', 'text/html', 'application/json;q=0'])
def test_accept_without_json_is_406(app, accept):
    # seed example 1.2 asks for XML: we serve JSON only, so the negotiation fails with a fault
    resp = app.get('/v2.1/flavors', headers=dict(TOKEN, Accept=accept), status=406)
    assert resp.json['computeFault']['code'] == 406  # 406 has no fault name of its own in nova


def test_json_suffix_selects_json_even_with_xml_accept(app):
    # seed example 1.3: the .json query extension wins over Accept
    resp = app.get('/v2.1/demo/flavors/detail.json', headers=dict(TOKEN, Accept='application/xml'), status=200)
    assert len(resp.json['flavors']) == 5


def test_json_suffix_stripped_only_when_exact(app):
    assert app.get('/v2.1/flavors/1.json', headers=TOKEN).json['flavor']['id'] == '1'
    resp = app.get('/v2.1/flavors/1.jsonx', headers=TOKEN, status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor 1.jsonx could not be found.'
    resp = app.get('/v2.1/flavors/m1.tiny.json', headers=TOKEN, status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor m1.tiny could not be found.'


def test_unsupported_content_type_v21_is_415_and_v2_is_400(app):
    resp = app.request('/v2.1/flavors', method='GET', body=b'<xml/>',
                       headers=dict(TOKEN, **{'Content-Type': 'application/xml'}), status=415)
    assert resp.json == {'badMediaType': {'code': 415, 'message': 'Unsupported Content-Type'}}
    resp = app.request('/v2/demo/flavors', method='GET', body=b'<xml/>',
                       headers=dict(TOKEN, **{'Content-Type': 'application/xml'}), status=400)
    assert resp.json == {'badRequest': {'code': 400, 'message': 'Unsupported Content-Type'}}


def test_v21_echoes_microversion_headers_and_vary(app):
    resp = app.get('/v2.1/flavors', headers=TOKEN, status=200)
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.1'
    # nova adds one Vary line per header
    assert resp.headers.getall('Vary') == ['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version']


def test_v21_faults_carry_microversion_headers(app):
    resp = app.get('/v2.1/flavors/nope', headers=TOKEN, status=404)
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    assert resp.headers.getall('Vary') == ['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version']


def test_v2_has_no_microversion_headers(app):
    resp = app.get('/v2/demo/flavors', headers=dict(TOKEN, **{'X-OpenStack-Nova-API-Version': '2.1'}),
                   status=200)
    assert 'X-OpenStack-Nova-API-Version' not in resp.headers
    assert 'OpenStack-API-Version' not in resp.headers
    assert 'Vary' not in resp.headers


@pytest.mark.parametrize('headers', [
    {'X-OpenStack-Nova-API-Version': 'latest'},
    {'OpenStack-API-Version': 'compute latest'},
    {'OpenStack-API-Version': 'compute 2.1'},
    {'X-OpenStack-Nova-API-Version': '2.1'},
])
def test_requested_versions_in_range(app, headers):
    resp = app.get('/v2.1/flavors', headers=dict(TOKEN, **headers), status=200)
    assert resp.headers['X-OpenStack-Nova-API-Version'] == str(microversion.MAX_VERSION
                                                               if 'latest' in str(headers) else '2.1')


def test_new_header_wins_over_legacy(app):
    resp = app.get('/v2.1/flavors', status=406, headers=dict(
        TOKEN, **{'OpenStack-API-Version': 'compute 9.9', 'X-OpenStack-Nova-API-Version': '2.1'}))
    assert 'Version 9.9 is not supported by the API' in resp.json['computeFault']['message']


@pytest.mark.parametrize('value', ['2', '2.x', 'abc', '2.01.1', '02.1'])
def test_malformed_microversion_is_400(app, value):
    resp = app.get('/v2.1/flavors', headers=dict(TOKEN, **{'X-OpenStack-Nova-API-Version': value}), status=400)
    assert resp.json['badRequest']['code'] == 400


@pytest.mark.parametrize('value', ['1.1', '2.0', '3.0', '2.999'])
def test_microversion_out_of_range_is_406(app, value):
    resp = app.get('/v2.1/flavors', headers=dict(TOKEN, **{'X-OpenStack-Nova-API-Version': value}), status=406)
    assert resp.json['computeFault']['message'] == (
        'Version %s is not supported by the API. Minimum is %s and maximum is %s.'
        % (value, microversion.MIN_VERSION, microversion.MAX_VERSION))
    # nova's 406 echoes the version it refused
    assert resp.headers['X-OpenStack-Nova-API-Version'] == value
    assert resp.headers['OpenStack-API-Version'] == 'compute ' + value


@pytest.mark.parametrize('headers, selected', [
    ({'OpenStack-API-Version': 'volume 3.0, compute 2.1'}, '2.1'),       # other services' entries ignored
    ({'OpenStack-API-Version': 'compute 9.9, COMPUTE  2.1 '}, '2.1'),    # the last compute entry wins
    ({'OpenStack-API-Version': 'compute', 'X-OpenStack-Nova-API-Version': '2.1'}, '2.1'),  # unusable: legacy
    ({'OpenStack-API-Version': '2.5', 'X-OpenStack-Nova-API-Version': '9.9, 2.1'}, '2.1'),  # legacy: last value
    ({'OpenStack-API-Version': '2.5'}, '2.1'),                           # nothing usable: the minimum
])
def test_microversion_header_precedence(app, headers, selected):
    resp = app.get('/v2.1/flavors', headers=dict(TOKEN, **headers), status=200)
    assert resp.headers['X-OpenStack-Nova-API-Version'] == selected


@pytest.mark.parametrize('value', ['Latest', 'LATEST'])
def test_latest_is_lower_case_only(app, value):
    resp = app.get('/v2.1/flavors', headers=dict(TOKEN, **{'X-OpenStack-Nova-API-Version': value}), status=400)
    assert resp.json['badRequest']['message'] == (
        'API Version String %s is of invalid format. Must be of format MajorNum.MinorNum.' % value)
    assert 'X-OpenStack-Nova-API-Version' not in resp.headers  # a malformed version is never echoed


def test_url_project_must_match_token_project(app):
    resp = app.get('/v2.1/other/flavors', headers=TOKEN, status=400)
    assert resp.json['badRequest']['message'] == (
        "Malformed request URL: URL's project_id 'other' doesn't match Context's project_id 'demo'")
    app.get('/v2/other/flavors', headers=TOKEN, status=400)


def test_v21_serves_with_and_without_project(app):
    with_project = app.get('/v2.1/demo/flavors/1', headers=TOKEN).json['flavor']['links']
    without = app.get('/v2.1/flavors/1', headers=TOKEN).json['flavor']['links']
    assert with_project[0]['href'] == 'http://localhost/v2.1/demo/flavors/1'
    assert without[0]['href'] == 'http://localhost/v2.1/flavors/1'
    assert without[1]['href'] == 'http://localhost/flavors/1'


def test_v2_requires_the_project_in_the_path(app):
    app.get('/v2/flavors/detail', headers=TOKEN, status=404)


def test_request_id_on_success_and_faults(app):
    for path, status in (('/v2.1/flavors', 200), ('/v2.1/demo/nowhere', 404), ('/v2.1/flavors', 401)):
        headers = TOKEN if status != 401 else {}
        resp = app.get(path, headers=headers, status=status)
        assert resp.headers['x-openstack-request-id'].startswith('req-')


def test_link_prefix_override(conf, services, app):
    conf.set_override('compute_link_prefix', 'https://compute.example.com', group='api')
    resp = app.get('/v2.1/demo/flavors/1', headers=TOKEN)
    assert resp.json['flavor']['links'][0]['href'] == 'https://compute.example.com/v2.1/demo/flavors/1'
    assert resp.json['flavor']['links'][1]['href'] == 'https://compute.example.com/demo/flavors/1'


def test_proxy_headers_make_links_public_only_when_enabled(conf, services, app):
    # Behind a load balancer: X-Forwarded-Proto/Host name the public URL once the operator
    # enables [oslo_middleware] enable_proxy_headers_parsing; otherwise they are ignored.
    forwarded = dict(TOKEN, **{'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'compute.example.com'})
    resp = app.get('/v2.1/demo/flavors/1', headers=forwarded)
    assert resp.json['flavor']['links'][0]['href'] == 'http://localhost/v2.1/demo/flavors/1'
    conf.set_override('enable_proxy_headers_parsing', True, group='oslo_middleware')
    resp = app.get('/v2.1/demo/flavors/1', headers=forwarded)
    assert resp.json['flavor']['links'][0]['href'] == 'https://compute.example.com/v2.1/demo/flavors/1'
    assert app.get('/', headers=forwarded).json['versions'][1]['links'][0]['href'] == \
        'https://compute.example.com/v2.1/'
