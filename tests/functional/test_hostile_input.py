"""Hostile input: whatever a caller sends, the answer is nova's fault document with a 4xx status
(never a 500 or a traceback), and a rejected write leaves nothing behind.

The walk at the end sends garbage to every route of router.ROUTES with every method; the tests
before it pin down the inputs that once got a 500.
"""
import json
import re

import pytest

from compute_api.api import faults
from compute_api.api import router

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ADMIN_TOKEN = {'X-Auth-Token': 'admin:admin'}
DEMO_TOKEN = {'X-Auth-Token': 'demo:demo'}


def assert_fault(resp, status):
    """`resp` is nova's fault document for `status`: one key, the fault name of the status."""
    assert resp.status_int == status, (resp.status, resp.body[:300])
    assert resp.content_type == 'application/json'
    doc = json.loads(resp.body)
    name = faults.FAULT_NAMES.get(status, 'computeFault')
    assert list(doc) == [name], doc
    assert doc[name]['code'] == status
    assert isinstance(doc[name]['message'], str) and doc[name]['message']


@pytest.mark.parametrize('path', [
    '/v2.1/servers/%FF%FE',                 # path bytes that are not UTF-8
    '/v2.1/demo/flavors/%C0%AF',            # an overlong encoding of '/'
    '/v2/demo/os-keypairs/%E2%82',          # a truncated sequence
    '/v2.1/servers?status=%FF',             # query value
    '/v2.1/servers/detail?%FF=1',           # query name
    '/v2.1/images?name=%ED%A0%80',          # an encoded surrogate
    '/v2.1/%FF',
    '/v2.1/os-keypairs/%00',                # NUL: PostgreSQL cannot even compare with it
    '/v2.1/flavors/1%00/os-extra_specs',
    '/v2/demo/servers?name=%00',
])
@pytest.mark.parametrize('method', ['GET', 'POST', 'DELETE'])
def test_url_that_is_not_utf8_text_is_400(app, path, method):
    resp = app.request(path, method=method, headers=DEMO_TOKEN, expect_errors=True)
    assert_fault(resp, 400)


def test_url_with_valid_utf8_is_served(app):
    resp = app.get('/v2.1/servers?name=%C3%A9t%C3%A9', headers=DEMO_TOKEN, status=200)
    assert resp.json == {'servers': []}
    assert_fault(app.get('/v2.1/os-keypairs/%C3%A9', headers=DEMO_TOKEN, expect_errors=True), 404)


# Texts JSON can spell but databases cannot store: lone UTF-16 surrogates, NUL (PostgreSQL).
SURROGATES = ['\\ud800', 'ab\\udfff', '\\udc00\\ud800', 'a\\u0000b']


@pytest.mark.parametrize('text', SURROGATES)
@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_server_create_with_a_lone_surrogate_is_400_and_creates_nothing(client, services, prefix, text):
    body = ('{"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "metadata": {"a": "%s"}}}'
            % (text, IMAGE, text))
    resp = client.testapp.post(prefix + '/servers', body, headers=client.headers(
        {'Content-Type': 'application/json'}), expect_errors=True)
    assert_fault(resp, 400)
    services.tasks.wait()
    assert client.get('/v2.1/servers').json == {'servers': []}
    used = client.get('/v2.1/limits').json['limits']['absolute']
    assert (used['totalInstancesUsed'], used['totalCoresUsed']) == (0, 0)


@pytest.mark.parametrize('path, template', [
    ('/v2.1/flavors', '{"flavor": {"name": "%s", "ram": 1, "vcpus": 1, "disk": 1, "id": "f1"}}'),
    ('/v2.1/os-keypairs', '{"keypair": {"name": "%s"}}'),
    ('/v2.1/os-server-groups', '{"server_group": {"name": "%s", "policies": ["affinity"]}}'),
])
@pytest.mark.parametrize('text', SURROGATES)
def test_create_with_a_lone_surrogate_is_400_and_creates_nothing(app, path, template, text):
    before = app.get(path, headers=ADMIN_TOKEN).json
    resp = app.post(path, template % text, headers=dict(ADMIN_TOKEN, **{'Content-Type': 'application/json'}),
                    expect_errors=True)
    assert_fault(resp, 400)
    assert app.get(path, headers=ADMIN_TOKEN).json == before


@pytest.mark.parametrize('body', [
    '{"metadata": {"k": "a\\u0000"}}',
    '{"metadata": {"k\\u0000": "a"}}',
    '{"metadata": {"k": "v"}, "x": ["\\u0000"]}',
])
def test_metadata_with_nul_is_400_and_changes_nothing(client, services, body):
    server_id = client.post('/v2.1/servers', {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}},
                            status=202).json['server']['id']
    services.tasks.wait()
    for method in ('POST', 'PUT'):
        resp = client.testapp.request('/v2.1/servers/%s/metadata' % server_id, method=method, body=body.encode(),
                                      headers=client.headers({'Content-Type': 'application/json'}),
                                      expect_errors=True)
        assert_fault(resp, 400)
    assert client.get('/v2.1/servers/%s/metadata' % server_id).json == {'metadata': {}}


def test_escaped_text_that_is_valid_is_accepted(client):
    # A surrogate pair is one character (U+1F600); the check only refuses lone halves.
    resp = client.testapp.post('/v2.1/os-server-groups',
                               '{"server_group": {"name": "g\\ud83d\\ude00", "policies": ["affinity"]}}',
                               headers=client.headers({'Content-Type': 'application/json'}), status=200)
    group_id = resp.json['server_group']['id']
    assert client.get('/v2.1/os-server-groups/' + group_id).json['server_group']['name'] == 'g\U0001F600'
    # An escaped backslash before "u0000" is text, not a NUL.
    resp = client.testapp.post('/v2.1/os-server-groups',
                               '{"server_group": {"name": "g\\\\u0000", "policies": ["affinity"]}}',
                               headers=client.headers({'Content-Type': 'application/json'}), status=200)
    assert resp.json['server_group']['name'] == 'g\\u0000'


@pytest.mark.parametrize('path, body', [
    ('/v2.1/flavors', '{"flavor": {"name": "f", "ram": 1, "vcpus": 1, "disk": 1, "rxtx_factor": NaN}}'),
    ('/v2.1/flavors', '{"flavor": {"name": "f", "ram": Infinity, "vcpus": 1, "disk": 1}}'),
    ('/v2.1/flavors', '{"flavor": {"name": "f", "ram": 1, "vcpus": 1, "disk": 1, "swap": -Infinity}}'),
    ('/v2.1/os-quota-sets/demo', '{"quota_set": {"instances": NaN}}'),
    ('/v2.1/os-quota-class-sets/default', '{"quota_class_set": {"cores": Infinity}}'),
    ('/v2.1/servers', '{"server": {"name": "v", "imageRef": "%s", "flavorRef": "1", "min_count": NaN}}' % IMAGE),
])
def test_nan_and_infinity_are_malformed_json(app, path, body):
    method = 'PUT' if 'quota' in path else 'POST'
    resp = app.request(path, method=method, body=body.encode(), expect_errors=True,
                       headers=dict(ADMIN_TOKEN, **{'Content-Type': 'application/json'}))
    assert_fault(resp, 400)
    assert resp.json['badRequest']['message'] == 'Malformed request body'
    assert app.get('/v2.1/flavors/f', headers=ADMIN_TOKEN, expect_errors=True).status_int == 404
    assert app.get('/v2.1/servers', headers=ADMIN_TOKEN).json == {'servers': []}


@pytest.mark.parametrize('body', [b'[' * 50000, b'{"a": ' * 3000 + b'1' + b'}' * 3000,
                                  b'{"server": ' + b'[' * 2000 + b']' * 2000 + b'}'])
@pytest.mark.parametrize('path', ['/v2.1/servers', '/v2/admin/servers', '/v2.1/flavors', '/v2.1/os-keypairs'])
def test_json_nested_too_deep_is_malformed(app, path, body):
    resp = app.post(path, body, headers=dict(ADMIN_TOKEN, **{'Content-Type': 'application/json'}),
                    expect_errors=True)
    assert_fault(resp, 400)
    assert resp.json['badRequest']['message'] == 'Malformed request body'


def test_noauth_user_with_non_ascii_name_is_a_member(app):
    # The header's bytes as WSGI gives them (latin-1 text); comparing such text with 'admin'
    # once raised.
    token = 'j\u00f6rg:demo'.encode().decode('latin-1')
    assert app.get('/v2.1/servers', headers={'X-Auth-Token': token}, status=200).json == {'servers': []}
    assert_fault(app.get('/v2.1/os-hypervisors', headers={'X-Auth-Token': token}, expect_errors=True), 403)


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/admin'])
def test_quota_update_for_a_project_id_longer_than_a_project_id_is_400(app, prefix):
    # PostgreSQL and MariaDB refuse to store it (a 500 there); no quota row is left.
    project_id = 'p' * 256
    resp = app.put_json('%s/os-quota-sets/%s' % (prefix, project_id), {'quota_set': {'instances': 5}},
                        headers=ADMIN_TOKEN, expect_errors=True)
    assert_fault(resp, 400)
    assert resp.json['badRequest']['message'] == 'project_id has more than 255 characters.'
    shown = app.get('/v2.1/os-quota-sets/%s' % project_id, headers=ADMIN_TOKEN).json['quota_set']
    assert shown['instances'] == 10


@pytest.mark.parametrize('offset', ['64977133894051454976', str(2 ** 63 - 1), str(2 ** 63)])
@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/admin'])
def test_server_groups_offset_past_any_integer_is_an_empty_page(app, prefix, offset):
    app.post_json('/v2.1/os-server-groups', {'server_group': {'name': 'g', 'policies': ['affinity']}},
                  headers=ADMIN_TOKEN)
    resp = app.get('%s/os-server-groups?all_projects=1&limit=5&offset=%s' % (prefix, offset), headers=ADMIN_TOKEN)
    assert resp.json == {'server_groups': []}


# --- The walk: every route, every method, garbage bodies and ids. ---

METHODS = ('GET', 'POST', 'PUT', 'DELETE', 'PATCH')
GARBAGE_BODIES = [b'[]', b'"text"', b'{"a": {"b": [null, 1e999, -1, "\\u0000"]}}', b'{"truncated": ']
# Ids no resource has: a dotted name, control and non-ASCII characters, a huge number, a .json
# suffix that negotiation strips, a percent sign.
GARBAGE_IDS = ['a.b', '%0A%09%7F', '%C3%A9%E2%80%8B', '99999999999999999999999999', '-1.json', '%25']


def _world(app, services):
    """Real ids for the admin's project: a server, a group, a key pair, a private flavor."""
    server = app.post_json('/v2.1/servers', {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}},
                           headers=ADMIN_TOKEN, status=202).json['server']
    services.tasks.wait()
    group = app.post_json('/v2.1/os-server-groups', {'server_group': {'name': 'g', 'policies': ['affinity']}},
                          headers=ADMIN_TOKEN).json['server_group']
    app.post_json('/v2.1/os-keypairs', {'keypair': {'name': 'kp'}}, headers=ADMIN_TOKEN)
    return {'server_id': server['id'], 'group_id': group['id'], 'keypair_name': 'kp', 'flavor_id': '1',
            'image_id': IMAGE, 'tenant_id': 'admin', 'class_name': 'default', 'alias': 'os-keypairs',
            'hypervisor_id': '1', 'hostname_pattern': 'host'}


def _fill(path, values, garbage=None):
    return re.sub(r'\{(\w+)\}', lambda m: garbage or values.get(m.group(1), 'x'), path)


def _check(resp, what, failures):
    """Record `what` unless the answer is a success, or a fault document with a 4xx status."""
    if resp.status_int < 400:
        return
    try:
        assert resp.status_int < 500
        if resp.request.method != 'HEAD':
            assert_fault(resp, resp.status_int)
    except AssertionError:
        failures.append('%s -> %s %r' % (what, resp.status, resp.body[:200]))


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/admin'])
def test_every_route_and_method_answers_garbage_with_a_4xx_fault(app, services, prefix):
    values = _world(app, services)
    failures = []
    json_headers = dict(ADMIN_TOKEN, **{'Content-Type': 'application/json'})
    deletes = []  # the real resources are deleted last, when every route has seen them
    for path, methods in router.ROUTES:
        targets = [_fill(path, values)]
        if '{' in path:
            targets += [_fill(path, values, garbage) for garbage in GARBAGE_IDS]
        for target in targets:
            for method in METHODS:
                bodies = GARBAGE_BODIES if method in ('POST', 'PUT', 'PATCH') else [b'']
                if target != targets[0] and method in ('POST', 'PUT', 'PATCH'):
                    bodies = bodies[:1]
                if target == targets[0] and method == 'DELETE':
                    deletes.append(target)
                    continue
                for body in bodies:
                    resp = app.request(prefix + target, method=method, body=body, headers=json_headers,
                                       expect_errors=True)
                    _check(resp, '%s %s%s %r' % (method, prefix, target, body), failures)
                    if method not in methods and (resp.status_int, resp.headers.get('Allow')) != (
                            405, ', '.join(sorted(methods))):
                        failures.append('%s %s%s -> %s, not 405 with Allow' % (method, prefix, target, resp.status))
        # Wrong query values on the reads: negative/huge/garbage paging, sorting and filters.
        if 'GET' in methods:
            query = ('limit=-1&limit=abc&marker=%00&sort_key=%25&sort_dir=sideways&changes-since=yesterday'
                     '&minDisk=x&all_tenants=perhaps&start=then&end=now&detailed=zz&with_servers=zz')
            resp = app.get(prefix + targets[0] + '?' + query, headers=ADMIN_TOKEN, expect_errors=True)
            _check(resp, 'GET %s%s?%s' % (prefix, targets[0], query), failures)
    # Nothing the garbage asked for was created: still one server, one group, one key pair.
    assert len(app.get(prefix + '/servers', headers=ADMIN_TOKEN).json['servers']) == 1
    assert len(app.get(prefix + '/os-server-groups', headers=ADMIN_TOKEN).json['server_groups']) == 1
    assert len(app.get(prefix + '/os-keypairs', headers=ADMIN_TOKEN).json['keypairs']) == 1
    for target in reversed(deletes):
        resp = app.request(prefix + target, method='DELETE', body=b'[]', headers=json_headers, expect_errors=True)
        _check(resp, 'DELETE %s%s' % (prefix, target), failures)
    assert not failures, '\n'.join(failures)
