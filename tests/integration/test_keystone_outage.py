"""Keystone stopped under a running server, then started again: quick 503 faults, no 500s, no
hangs, and recovery without restarting the server.

[keystone_authtoken] here (tests/integration/keystone.py authtoken_options): http_connect_timeout
= 10, http_request_max_retries = 0. A stopped Keystone refuses connections, so a token the server
has not validated yet gets its 503 at once; a token it validated before the outage stays valid
from auth_token's cache (token_cache_time, 300 s by default), as in any OpenStack service.
"""
import time

import pytest

from tests.integration import rest
from tests.integration import server as server_mod
from tests.integration.conftest import unavailable

pytestmark = pytest.mark.integration

UNAVAILABLE = {'serviceUnavailable': {'code': 503, 'message': 'The Keystone service is temporarily unavailable.'}}


@pytest.fixture(scope='module')
def outage_server(keystone, tmp_path_factory):
    server = server_mod.ComputeServer(tmp_path_factory.mktemp('compute-outage'), auth_strategy='keystone',
                                      keystone=keystone, name='compute-api-outage')
    try:
        server.manage('db', 'sync')
        server.start()
    except Exception as exc:
        server.stop()
        unavailable('compute-api server (compute-api-outage)', exc)
    yield server
    server.stop()


def timed(method, url, token=None, body=None):
    headers = {'X-Auth-Token': token} if token else {}
    started = time.monotonic()
    resp = rest.request(method, url, body, headers, timeout=30)
    return resp, time.monotonic() - started


def test_keystone_outage_and_recovery(outage_server, keystone, request):
    base = outage_server.base_url
    warm, body = keystone.token('member')
    project = body['project']['id']
    assert timed('GET', base + '/v2.1/flavors', warm)[0].status == 200  # validated, now cached
    fresh = [keystone.token(account)[0] for account in ('member', 'reader', 'project_admin')]
    pid = outage_server.process.pid
    log_start = outage_server.log_file.stat().st_size

    keystone.stop()
    request.addfinalizer(keystone.start)  # the session's other tests need it running
    requests = [('GET', '/v2.1/flavors'), ('GET', '/v2.1/%s/flavors/detail' % project),
                ('GET', '/v2/%s/flavors/1' % project), ('GET', '/v2.1/extensions')]
    for token in fresh:
        for method, path in requests:
            resp, seconds = timed(method, base + path, token)
            assert resp.status == 503, (path, resp.status, resp.body)
            assert resp.json() == UNAVAILABLE
            # A refused connection answers at once; only waiting for the 10 s connect timeout
            # reaches the bound (a loaded machine meets it: not a speed test).
            assert seconds < 10, (path, seconds)
    # Without a token nothing needs Keystone: still the 401 pointing at it.
    resp, seconds = timed('GET', base + '/v2.1/flavors')
    assert resp.status == 401 and keystone.auth_url in resp.header('WWW-Authenticate')
    # A token validated before the outage is served from auth_token's cache.
    assert timed('GET', base + '/v2.1/flavors', warm)[0].status == 200

    keystone.start()
    for token in fresh:
        for method, path in requests:
            resp, _seconds = timed(method, base + path, token)
            assert resp.status == 200, (path, resp.status, resp.body)
    assert outage_server.process.pid == pid and outage_server.running  # never restarted
    with open(outage_server.log_file, 'rb') as log:
        log.seek(log_start)
        assert b'Traceback' not in log.read()
