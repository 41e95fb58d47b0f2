"""auth_strategy = keystone: the real keystonemiddleware auth_token in the real pipeline.

keystonemiddleware's AuthTokenFixture stands in for Keystone's token validation (the tokens it
was given validate, any other is rejected); everything else is the real middleware, configured
from a compute-api.conf as an operator writes it: [keystone_authtoken] read from the service's
own configuration, client-sent identity headers stripped, 401 with WWW-Authenticate, 503 when
Keystone cannot be reached (no fixture there: a port nothing listens on).
tests/integration/test_keystone_*.py do the same against a real Keystone.
"""
import datetime
import socket
import time
import uuid

import pytest
import webtest
from keystonemiddleware import fixture as ksm_fixture

from compute_api import conf as conf_mod
from compute_api import runtime as services_mod
from compute_api.api import deploy

UNAUTHORIZED = {'unauthorized': {'code': 401,
                                 'message': 'The request you have made requires authentication.'}}
UNAVAILABLE = {'serviceUnavailable': {'code': 503,
                                      'message': 'The Keystone service is temporarily unavailable.'}}

# Every identity header a client could try to smuggle in, with values that would matter.
SPOOFED = {
    'X-Identity-Status': 'Confirmed', 'X-Service-Identity-Status': 'Confirmed',
    'X-User-Id': 'mallory', 'X-User-Name': 'mallory', 'X-User': 'mallory',
    'X-Project-Id': 'victim', 'X-Tenant-Id': 'victim', 'X-Tenant-Name': 'victim', 'X-Tenant': 'victim',
    'X-Project-Name': 'victim', 'X-Roles': 'admin,member,reader', 'X-Role': 'admin',
    'X-Service-Roles': 'admin,service', 'X-Is-Admin-Project': 'True', 'OpenStack-System-Scope': 'all',
    'X-Domain-Id': 'default', 'X-Service-User-Id': 'nova', 'X-Service-Project-Id': 'service',
}


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_config(tmp_path, database_url, policy=None, **authtoken):
    """A compute-api.conf for auth_strategy = keystone; returns the parsed ConfigOpts."""
    port = free_port()  # nothing listens there: only fixture tokens validate
    options = {'www_authenticate_uri': 'http://127.0.0.1:%d/identity/v3' % port,
               'auth_url': 'http://127.0.0.1:%d/identity/v3' % port,
               'auth_type': 'password', 'username': 'compute', 'password': 'secret',
               'project_name': 'service', 'user_domain_name': 'Default',
               'project_domain_name': 'Default', 'http_connect_timeout': '2'}
    options.update(authtoken)
    lines = ['[DEFAULT]', 'state_path = %s' % tmp_path,
             '[api]', 'auth_strategy = keystone',
             '[database]', 'connection = %s' % database_url, 'auto_sync = false',
             '[keystone_authtoken]'] + ['%s = %s' % item for item in options.items()]
    if policy:
        policy_file = tmp_path / 'policy.yaml'
        policy_file.write_text(''.join('"%s": "%s"\n' % item for item in policy.items()))
        lines += ['[oslo_policy]', 'policy_file = %s' % policy_file]
    path = tmp_path / 'compute-api.conf'
    path.write_text('\n'.join(lines) + '\n')
    return conf_mod.make_conf(['--config-file', str(path)])


def keystone_app(conf, store):
    return webtest.TestApp(deploy.load_app(services_mod.build(conf, store=store)))


@pytest.fixture
def tokens():
    """Tokens the auth_token middleware will accept: tokens.add_token_data(...)."""
    fixture = ksm_fixture.AuthTokenFixture()
    fixture.setUp()
    yield fixture
    fixture.cleanUp()


def add_token(tokens, project='p1', user='u1', roles=('member', 'reader'), **kw):
    token = uuid.uuid4().hex
    tokens.add_token_data(token_id=token, user_id=user, user_name=user, project_id=project,
                          project_name=project, role_list=list(roles), **kw)
    return token


@pytest.fixture
def ks_conf(tmp_path, database_url):
    return write_config(tmp_path, database_url)


@pytest.fixture
def ks_app(ks_conf, store, tokens):
    return keystone_app(ks_conf, store)


# -- the configuration really reaches auth_token ----------------------------------------------

def test_authtoken_options_come_from_the_service_config_file(ks_conf, ks_app):
    resp = ks_app.get('/v2.1/flavors', status=401)
    assert resp.headers['WWW-Authenticate'] == 'Keystone uri="%s"' % (
        ks_conf.keystone_authtoken.www_authenticate_uri)
    # auth_token registered its options and those of its auth plugin on our ConfigOpts.
    assert ks_conf.keystone_authtoken.username == 'compute'
    assert ks_conf.keystone_authtoken.http_connect_timeout == 2


def test_keystone_calls_get_a_timeout_by_default(tmp_path, database_url, store, tokens):
    # keystonemiddleware's own default is no timeout at all; ours is conf.AUTHTOKEN_DEFAULTS.
    conf = write_config(tmp_path, database_url)
    conf_path = tmp_path / 'compute-api.conf'
    conf_path.write_text(conf_path.read_text().replace('http_connect_timeout = 2\n', ''))
    conf = conf_mod.make_conf(['--config-file', str(conf_path)])
    keystone_app(conf, store)
    assert conf.keystone_authtoken.http_connect_timeout == conf_mod.AUTHTOKEN_DEFAULTS['http_connect_timeout']


# -- 401 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('path', ['/v2.1/flavors', '/v2.1/p1/flavors', '/v2/p1/flavors', '/v2.1/flavors/1'])
def test_no_token_is_401_unauthorized_fault_with_www_authenticate(ks_app, ks_conf, path):
    resp = ks_app.get(path, status=401)
    assert resp.json == UNAUTHORIZED
    assert resp.headers['WWW-Authenticate'].startswith('Keystone uri="http://127.0.0.1:')


@pytest.mark.parametrize('accept', ['application/json', 'text/html', '*/*', None])
def test_bad_token_is_401_in_nova_shape_whatever_the_accept(ks_app, accept):
    headers = {'X-Auth-Token': 'not-a-token'}
    if accept:
        headers['Accept'] = accept
    resp = ks_app.get('/v2.1/flavors', headers=headers, status=401)
    assert resp.content_type == 'application/json'
    assert resp.json == UNAUTHORIZED
    assert 'WWW-Authenticate' in resp.headers


def test_expired_token_is_401(ks_app, tokens):
    expired = add_token(tokens, expires=datetime.datetime.utcnow() - datetime.timedelta(minutes=1))
    resp = ks_app.get('/v2.1/flavors', headers={'X-Auth-Token': expired}, status=401)
    assert resp.json == UNAUTHORIZED


def test_version_documents_need_no_token(ks_app):
    assert ks_app.get('/', status=200).json['versions']
    assert ks_app.get('/v2.1/', status=200).json['version']['id'] == 'v2.1'


# -- a valid token ------------------------------------------------------------------------------

def test_valid_token_with_and_without_the_project_in_the_url(ks_app, tokens):
    token = add_token(tokens, project='p1')
    for path in ('/v2.1/flavors', '/v2.1/p1/flavors', '/v2/p1/flavors'):
        assert ks_app.get(path, headers={'X-Auth-Token': token}).json['flavors'], path


def test_url_project_must_be_the_tokens(ks_app, tokens):
    token = add_token(tokens, project='p1')
    for path in ('/v2.1/p2/flavors', '/v2/p2/flavors'):
        resp = ks_app.get(path, headers={'X-Auth-Token': token}, status=400)
        assert resp.json['badRequest']['message'] == (
            "Malformed request URL: URL's project_id 'p2' doesn't match Context's project_id 'p1'")


def test_token_without_a_project_is_refused(ks_app, tokens):
    # Unscoped (or domain-scoped) tokens are valid identities but every API is project-scoped.
    unscoped = uuid.uuid4().hex
    tokens.add_token_data(token_id=unscoped, user_id='u1', user_name='u1', role_list=['admin'])
    resp = ks_app.get('/v2.1/flavors', headers={'X-Auth-Token': unscoped}, status=403)
    assert resp.json == {'forbidden': {'code': 403, 'message': 'This API needs a project-scoped token.'}}


# -- spoofed identity headers -------------------------------------------------------------------

def test_spoofed_headers_without_a_token_are_401(ks_app):
    resp = ks_app.get('/v2.1/flavors', headers=SPOOFED, status=401)
    assert resp.json == UNAUTHORIZED
    resp = ks_app.get('/v2.1/victim/flavors', headers=dict(SPOOFED, **{'X-Auth-Token': 'bogus'}), status=401)
    assert resp.json == UNAUTHORIZED


def test_spoofed_headers_beside_a_valid_token_change_nothing(tmp_path, database_url, store, tokens):
    # The identity becomes observable through policy: flavors need admin, or user mallory.
    conf = write_config(tmp_path, database_url,
                        policy={'os_compute_api:flavors': 'role:admin or user_id:mallory'})
    app = keystone_app(conf, store)
    reader = add_token(tokens, project='p1', user='u1', roles=['reader'])
    admin = add_token(tokens, project='p1', user='u2', roles=['admin', 'member', 'reader'])
    assert app.get('/v2.1/flavors', headers={'X-Auth-Token': admin}).json['flavors']
    resp = app.get('/v2.1/flavors', headers=dict(SPOOFED, **{'X-Auth-Token': reader}), status=403)
    assert resp.json['forbidden']['message'] == "Policy doesn't allow os_compute_api:flavors to be performed."
    # The URL project is checked against the token's project, not the spoofed one.
    resp = app.get('/v2.1/victim/flavors', headers=dict(SPOOFED, **{'X-Auth-Token': admin}), status=400)
    assert "Context's project_id 'p1'" in resp.json['badRequest']['message']


def test_admin_is_decided_by_the_context_is_admin_rule(tmp_path, database_url, store, tokens):
    # As nova: context.is_admin comes from policy, so an operator can name another admin role.
    from tests.functional.test_flavors import add_flavor
    add_flavor(store, 'private', 'secret', is_public=False)
    conf = write_config(tmp_path, database_url, policy={'context_is_admin': 'role:cloud-admin'})
    app = keystone_app(conf, store)
    admin = add_token(tokens, roles=['admin', 'member', 'reader'])
    cloud_admin = add_token(tokens, roles=['cloud-admin'])
    assert app.get('/v2.1/flavors/private', headers={'X-Auth-Token': cloud_admin}).json['flavor']['name'] == 'secret'
    app.get('/v2.1/flavors/private', headers={'X-Auth-Token': admin}, status=404)


# -- Keystone unreachable ------------------------------------------------------------------------

def test_keystone_unreachable_is_a_quick_503_fault(tmp_path, database_url, store):
    # Nothing listens on Keystone's port: the connection is refused at once. The bound is the
    # connect timeout, which only a request that waited for a timeout reaches: not a speed test.
    conf = write_config(tmp_path, database_url, http_request_max_retries='0', http_connect_timeout='30')
    app = keystone_app(conf, store)  # no fixture: the token must be validated by "Keystone"
    for accept in ('application/json', 'text/html', None):
        headers = {'X-Auth-Token': 'a-token-never-seen', **({'Accept': accept} if accept else {})}
        started = time.monotonic()
        resp = app.get('/v2.1/flavors', headers=headers, status=503)
        assert time.monotonic() - started < 30
        assert resp.json == UNAVAILABLE, accept


def test_keystone_that_never_answers_is_a_503_within_the_timeout(tmp_path, database_url, store):
    # A socket that accepts connections and never answers: a hung Keystone. keystonemiddleware
    # lets this timeout escape on its own (a 500); compute_api turns it into the 503.
    with socket.socket() as hung:
        hung.bind(('127.0.0.1', 0))
        hung.listen(16)
        url = 'http://127.0.0.1:%d/v3' % hung.getsockname()[1]
        conf = write_config(tmp_path, database_url, www_authenticate_uri=url, auth_url=url,
                            http_connect_timeout='1', http_request_max_retries='1')
        app = keystone_app(conf, store)
        for _attempt in range(2):
            started = time.monotonic()
            resp = app.get('/v2.1/flavors', headers={'X-Auth-Token': 'a-token-never-seen'}, status=503)
            # Version discovery, then token validation, each tried twice and bounded by the 1 s
            # http_connect_timeout: about 4 s. Without the timeout it would wait forever; 60 s is a
            # bound a loaded machine always meets, not a speed test.
            assert time.monotonic() - started < 60
            assert resp.json == UNAVAILABLE
