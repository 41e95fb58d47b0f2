"""Scale out on real processes: compute-api under gunicorn with 2 workers and a transport_url on
a RabbitMQ vhost of this test, one compute-api-compute process, PostgreSQL.

A server is booted to ACTIVE, rebooted, stopped and deleted through the API workers (neither of
which has a driver: the compute process does the driver work); os-services shows the compute
host up while it beats and down once it stopped (service_down_time is short here); SIGTERM
stops the compute process cleanly.
"""
import signal
import time

import pytest

from tests.integration import conftest as integration
from tests.integration import rest
from tests.integration import server as server_mod
from tests.integration import support
from tests.integration.test_quota_concurrency import postgresql_url  # noqa: F401 (a fixture)

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ADMIN = {'X-Auth-Token': 'admin:admin'}
MEMBER = {'X-Auth-Token': 'demo:demo'}
HOST = 'compute-1'


@pytest.fixture
def deployment(tmp_path, postgresql_url, rabbit_url):  # noqa: F811
    """(API server, compute process): both read one configuration file."""
    api = server_mod.GunicornServer(tmp_path / 'state', workers=2, threads=4, name='compute-api-scale-out',
                                    extra_config={
        'DEFAULT': {'transport_url': rabbit_url, 'host': HOST, 'report_interval': '1', 'service_down_time': '4'},
        'database': {'connection': postgresql_url.render_as_string(hide_password=False), 'auto_sync': 'false'}})
    compute = server_mod.ComputeHostProcess(api, name='compute-api-compute-scale-out')
    try:
        api.manage('db', 'sync')
        compute.start()
        api.start()
        compute.wait_up(HOST)
    except Exception as exc:
        compute.stop(signal.SIGKILL)
        api.stop()
        integration.unavailable('compute-api under gunicorn with compute-api-compute', exc)
    yield api, compute
    compute.stop(signal.SIGKILL)
    api.stop()


def call(api, method, path, body=None, headers=MEMBER):
    """(status, parsed body)."""
    resp = rest.request(method, api.base_url + '/v2.1' + path, body, headers, timeout=30)
    return resp.status, resp.json()


def wait_for(what, check, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, 'gave up waiting for %s' % what
        time.sleep(0.05)


def compute_state(api):
    status, body = call(api, 'GET', '/os-services?host=%s' % HOST, headers=ADMIN)
    assert status == 200, body
    return body['services'][0]['state'] if body['services'] else None


def server_in(api, server_id, status):
    code, body = call(api, 'GET', '/servers/%s' % server_id)
    assert code == 200, body
    server = body['server']
    assert server['status'] != 'ERROR', server
    return server if (server['status'], server['OS-EXT-STS:task_state']) == (status, None) else None


def test_api_workers_and_a_compute_process_over_rabbitmq(deployment):
    api, compute = deployment
    assert compute_state(api) == 'up'
    status, body = call(api, 'POST', '/servers', {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}})
    assert status == 202, body
    server_id = body['server']['id']
    wait_for('ACTIVE', lambda: server_in(api, server_id, 'ACTIVE'))
    assert call(api, 'GET', '/servers/%s' % server_id, headers=ADMIN)[1]['server']['OS-EXT-SRV-ATTR:host'] == HOST
    # Every request may land on either worker: none holds the server's driver state.
    for _ in range(2):
        assert call(api, 'POST', '/servers/%s/action' % server_id, {'reboot': {'type': 'SOFT'}})[0] == 202
        wait_for('ACTIVE after reboot', lambda: server_in(api, server_id, 'ACTIVE'))
    code, body = call(api, 'POST', '/servers/%s/action' % server_id, {'os-getConsoleOutput': {}})
    assert code == 200 and 'output' in body, body
    assert call(api, 'POST', '/servers/%s/action' % server_id, {'os-stop': None})[0] == 202
    wait_for('SHUTOFF', lambda: server_in(api, server_id, 'SHUTOFF'))
    assert call(api, 'DELETE', '/servers/%s' % server_id)[0] == 204
    wait_for('the server gone', lambda: call(api, 'GET', '/servers/%s' % server_id)[0] == 404)
    assert compute.stop(signal.SIGTERM) == 0, support.tail(compute.log_file)
    wait_for('the compute host down', lambda: compute_state(api) == 'down', timeout=20)
