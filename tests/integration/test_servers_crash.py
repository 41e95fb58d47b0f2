"""SIGKILL the real server with builds and deletes in flight: after a restart nothing stays in
BUILD or deleting (builds end in ERROR with a fault, deletes complete). SIGTERM instead lets the
builds finish and exits 0."""
import time

import pytest

from tests.integration import rest
from tests.integration import server as server_mod

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
HEADERS = {'X-Auth-Token': 'demo:demo'}


def _call(server, method, path, body=None, expect=(200,)):
    resp = rest.request(method, server.base_url + '/v2.1' + path, body, HEADERS)
    assert resp.status in expect, (method, path, resp.status, resp.body)
    return resp.json()


def _boot(server, name, spawn_delay):
    body = {'server': {'name': name, 'imageRef': IMAGE, 'flavorRef': '1',
                       'metadata': {'fake:spawn_delay': str(spawn_delay)}}}
    return _call(server, 'POST', '/servers', body, expect=(202,))['server']['id']


def _servers(server):
    return _call(server, 'GET', '/servers/detail')['servers']


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail('gave up after %s s' % timeout)


def test_restart_after_sigkill_resolves_builds_and_deletes_in_flight(tmp_path):
    # Destroys and builds take an hour, so both are in flight when the process dies.
    compute = server_mod.ComputeServer(tmp_path / 'state', name='compute-api-crash',
                                       extra_config={'fake': {'operation_delay': '3600', 'max_spawn_delay': '3600'}})
    try:
        compute.manage('db', 'sync')
        compute.start()
        doomed = [_boot(compute, 'doomed-%d' % n, 0) for n in range(3)]
        _wait_for(lambda: all(s['status'] == 'ACTIVE' for s in _servers(compute)))
        for server_id in doomed:
            _call(compute, 'DELETE', '/servers/%s' % server_id, expect=(204,))
        building = [_boot(compute, 'building-%d' % n, 3600) for n in range(3)]
        states = {s['id']: (s['status'], s['OS-EXT-STS:task_state']) for s in _servers(compute)}
        assert all(states[i][1] == 'deleting' for i in doomed), states
        assert all(states[i][0] == 'BUILD' for i in building), states

        compute.kill()
        compute.extra_config = {}
        compute.start()

        def settled():
            servers = _servers(compute)
            stuck = [s for s in servers if s['status'] == 'BUILD' or s['OS-EXT-STS:task_state']]
            return servers if not stuck else None
        servers = _wait_for(settled)
        assert sorted(s['id'] for s in servers) == sorted(building)
        for server in servers:
            assert server['status'] == 'ERROR'
            assert server['fault']['message'].startswith('Build interrupted')
        for server_id in doomed:
            _call(compute, 'GET', '/servers/%s' % server_id, expect=(404,))
    finally:
        compute.stop()


def test_sigterm_lets_builds_in_flight_finish_and_exits_0(tmp_path):
    # The service manager's stop: unlike a crash, a build already running completes.
    compute = server_mod.ComputeServer(tmp_path / 'state', name='compute-api-sigterm')
    try:
        compute.manage('db', 'sync')
        compute.start()
        server_id = _boot(compute, 'in-flight', 2)
        assert compute.stop() == 0
        compute.start()
        server = _call(compute, 'GET', '/servers/%s' % server_id)['server']
        assert server['status'] == 'ACTIVE', server
    finally:
        compute.stop()
