"""Fault documents (seed examples 1.28-1.31): every error is nova's shape with the right status."""
import pytest

TOKEN = {'X-Auth-Token': 'demo:demo'}


def assert_fault(resp, name, status):
    assert resp.status_int == status
    assert resp.content_type == 'application/json'
    assert list(resp.json) == [name]
    assert resp.json[name]['code'] == status
    assert isinstance(resp.json[name]['message'], str) and resp.json[name]['message']


@pytest.mark.parametrize('path', ['/v2.1/demo/nowhere', '/v2/demo/nowhere',
                                  '/v2.1/flavors/1/nowhere', '/v2.1/demo/flavors/1/x/y'])
def test_unknown_route_is_404_fault(app, path):
    assert_fault(app.get(path, headers=TOKEN, status=404), 'itemNotFound', 404)


def test_item_not_found_fault(app):
    # seed example 1.30 (JSON twin)
    resp = app.get('/v2.1/demo/flavors/9999', headers=TOKEN, status=404)
    assert resp.json == {'itemNotFound': {'code': 404, 'message': 'Flavor 9999 could not be found.'}}


@pytest.mark.parametrize('method', ['PATCH', 'TRACE', 'DELETE', 'PUT'])
def test_wrong_method_is_405_with_allow(app, method):
    resp = app.request('/v2.1/flavors/detail', method=method, headers=TOKEN, status=405)
    assert_fault(resp, 'badMethod', 405)
    assert resp.headers['Allow'] == 'GET'


def test_root_wrong_method_is_405(app):
    resp = app.request('/', method='POST', status=405)
    assert_fault(resp, 'badMethod', 405)


def test_no_token_is_401_fault(app):
    resp = app.get('/v2.1/flavors', status=401)
    assert_fault(resp, 'unauthorized', 401)


def test_oversize_body_is_413_fault_before_auth(app):
    resp = app.post('/v2.1/flavors', 'x' * (112 * 1024 + 1), headers={'Content-Type': 'application/json'},
                    status=413)
    assert_fault(resp, 'overLimit', 413)


def test_uncaught_error_is_500_compute_fault_without_internals(app, services, monkeypatch, caplog):
    from compute_api.compute import flavors

    def explode(*args, **kwargs):
        raise RuntimeError('secret internal detail /etc/passwd')
    monkeypatch.setattr(flavors, 'list_flavors', explode)
    resp = app.get('/v2.1/flavors', headers=TOKEN, status=500)
    assert resp.json == {'computeFault': {
        'code': 500,
        'message': 'The server has either erred or is incapable of performing the requested operation.'}}
    assert 'secret' not in resp.text
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    request_id = resp.headers['x-openstack-request-id']
    assert any(request_id in r.getMessage() for r in caplog.records if r.levelname == 'ERROR')


def test_policy_denial_is_403_fault(app, services):
    from oslo_policy import policy
    services.enforcer.load_rules()
    services.enforcer.set_rules(policy.Rules.from_dict({'os_compute_api:flavors': '!'}), overwrite=False)
    resp = app.get('/v2.1/flavors', headers=TOKEN, status=403)
    assert resp.json == {'forbidden': {'code': 403, 'message':
                                       "Policy doesn't allow os_compute_api:flavors to be performed."}}


def _chunked_post(app, path, body):
    # A chunked body declares no length; the server de-chunks it into wsgi.input (and, as
    # eventlet, may not set wsgi.input_terminated).
    import io

    import webob
    req = webob.Request.blank(path, method='POST', headers=dict(
        TOKEN, **{'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'}))
    req.environ['wsgi.input'] = io.BytesIO(body)
    req.environ.pop('CONTENT_LENGTH', None)
    return req.get_response(app.app)


def test_chunked_body_is_read(app, services):
    resp = _chunked_post(app, '/v2.1/demo/os-keypairs', b'{"keypair": {"name": "chunked"}}')
    assert resp.status_int == 200, resp.body
    assert resp.json['keypair']['name'] == 'chunked'


def test_oversize_body_of_unknown_length_is_413_fault(app):
    body = b'{"keypair": {"name": "' + b'x' * (112 * 1024) + b'"}}'
    assert_fault(_chunked_post(app, '/v2.1/demo/os-keypairs', body), 'overLimit', 413)


def test_request_ids_on_every_response(app):
    inbound = 'req-3f1a8d2e-5b6c-4d7e-8f90-a1b2c3d4e5f6'  # a caller's global request id
    for path, status in (('/v2.1/flavors', 200), ('/v2.1/demo/nowhere', 404), ('/', 200)):
        resp = app.get(path, headers=dict(TOKEN, **{'X-OpenStack-Request-ID': inbound}), status=status)
        assert resp.headers['x-openstack-request-id'] == resp.headers['x-compute-request-id']
        assert resp.headers['x-openstack-request-id'].startswith('req-')
        assert resp.headers['x-openstack-request-id'] != inbound
