"""The role matrix against a real Keystone and the real server process.

Callers are real Keystone users with project-scoped tokens (Keystone adds the implied roles:
admin > member > reader): the cloud admin (admin of another project), an admin, a member and a
reader of project itest, a user whose only role in itest is unknown to nova's defaults, and a
member of project itest2. Every route and server action (tests/functional/test_auth_every_route.py
holds the walk and nova's default for each) runs as each of them on /v2.1/{project} and
/v2/{project}: admitted callers get past policy, the others get the policy fault, another
project's resources answer exactly as random ids do. The matrix and its outcome are written to
results/keystone-role-matrix.json.
"""
import json
import time

import pytest

from tests.functional import test_auth_every_route as walk_mod
from tests.functional.test_auth_keystone import SPOOFED
from tests.integration import rest
from tests.integration import server as server_mod
from tests.integration import support
from tests.integration.conftest import unavailable

pytestmark = pytest.mark.integration

# Keystone account -> the walk's caller name.
ACCOUNTS = {
    'admin': 'admin-of-another-project',
    'project_admin': 'admin-of-the-project',
    'member': 'member',
    'reader': 'reader',
    'observer': 'no-role',
    'other_member': 'member-of-another-project',
}


@pytest.fixture(scope='module')
def matrix_server(keystone, tmp_path_factory):
    """The real server behind the session's Keystone, with quotas out of the walk's way (it
    creates a fresh server whenever a request may have changed the last one)."""
    server = server_mod.ComputeServer(
        tmp_path_factory.mktemp('compute-roles'), auth_strategy='keystone', keystone=keystone,
        name='compute-api-roles',
        extra_config={'quota': {'instances': '-1', 'cores': '-1', 'ram': '-1'}})
    try:
        server.manage('db', 'sync')
        server.start()
    except Exception as exc:
        server.stop()
        unavailable('compute-api server (compute-api-roles)', exc)
    yield server
    server.stop()


@pytest.fixture(scope='module')
def callers(keystone):
    """(walk callers, tokens by caller name, home project id) from real Keystone tokens."""
    found, tokens = [], {}
    for account, name in ACCOUNTS.items():
        token, body = keystone.token(account)
        roles = tuple(sorted(role['name'] for role in body['roles']))
        found.append(walk_mod.Caller(name, body['project']['id'], roles))
        tokens[name] = token
    home = next(c.project for c in found if c.name == 'member')
    return found, tokens, home


def transport(server):
    def raw_call(method, url, token, body):
        resp = rest.request(method, server.base_url + url, body, {'X-Auth-Token': token})
        return resp.status, resp.body

    def call(method, url, token, body):
        status, raw = raw_call(method, url, token, body)
        return status, json.loads(raw) if raw else None
    return call, raw_call


def test_role_matrix_over_every_route(matrix_server, callers):
    found, tokens, home = callers
    roles = {c.name: c.roles for c in found}
    # Keystone's implied roles, which nova's defaults rely on.
    assert set(roles['admin-of-the-project']) >= {'admin', 'member', 'reader'}
    assert set(roles['member']) >= {'member', 'reader'} and 'admin' not in roles['member']
    assert roles['reader'] == ('reader',) and roles['no-role'] == ('observer',)
    call, raw_call = transport(matrix_server)
    resources = walk_mod.Resources(call, tokens['member'], tokens['admin-of-another-project'], home=home,
                                 everyone=tokens.values())
    started = time.monotonic()
    results, problems = walk_mod.walk(call, resources, found, tokens, raw_call=raw_call)
    summary = {
        'requests': len(results),
        'routes': len({r[0] for r in results}),
        'callers': sorted(ACCOUNTS.values()),
        'admitted': sum(1 for r in results if r[3]),
        'refused': sum(1 for r in results if not r[3]),
        'problems': problems,
        'seconds': round(time.monotonic() - started, 1),
        'matrix': [{'route': r[0], 'prefix': r[1], 'caller': r[2], 'admitted': r[3], 'status': r[4]}
                   for r in results],
    }
    (support.results_dir() / 'keystone-role-matrix.json').write_text(json.dumps(summary, indent=1))
    print('role matrix: %(requests)d requests over %(routes)d routes, %(admitted)d admitted, '
          '%(refused)d refused, %(seconds)ss' % summary)
    assert not problems, '\n'.join(problems)
    assert {label.split(' (')[0] for label in (r[0] for r in results)} == {
        '%s %s' % (method, path) for path, methods in walk_mod.router.ROUTES for method in methods}
    assert walk_mod.walked_actions(results) == walk_mod.served_actions()


def test_spoofed_identity_headers_change_nothing(matrix_server, callers, keystone):
    found, tokens, home = callers
    url = matrix_server.base_url
    # Alone: no token, no identity.
    resp = rest.request('GET', url + '/v2.1/flavors', headers=SPOOFED)
    assert resp.status == 401, resp.body
    # Beside a real token: the token's identity, nothing else. The observer may list flavors
    # ('@') but not servers, whatever X-Roles says; the URL project is the token's.
    observer = tokens['no-role']
    assert rest.request('GET', url + '/v2.1/flavors', headers=dict(SPOOFED, **{'X-Auth-Token': observer})).status == 200
    resp = rest.request('GET', url + '/v2.1/%s/flavors' % SPOOFED['X-Project-Id'],
                        headers=dict(SPOOFED, **{'X-Auth-Token': observer}))
    assert resp.status == 400 and "Context's project_id '%s'" % home in resp.json()['badRequest']['message']
    servers_routed = any(path == '/servers' for path, _methods in walk_mod.router.ROUTES)
    if servers_routed:
        resp = rest.request('GET', url + '/v2.1/servers', headers=dict(SPOOFED, **{'X-Auth-Token': observer}))
        assert resp.status == 403, resp.body
        # An invalid token with X-Identity-Status: Confirmed is still no identity.
        resp = rest.request('GET', url + '/v2.1/servers', headers=dict(SPOOFED, **{'X-Auth-Token': 'bogus'}))
        assert resp.status == 401, resp.body
