"""One contract for both transports between the API and a compute host: the in-process one (the
default) and oslo.messaging's (here fake://, between threads of this process; RabbitMQ in
tests/integration/test_scale_out.py). The API process of the oslo case has no driver: every
driver call happens on the host, behind its RPC server."""
import socket
import time

import pytest
import webtest

from compute_api import runtime
from compute_api.api import deploy
from tests.conftest import Client
from tests.functional.test_servers import boot


@pytest.fixture(params=['in-process', 'fake://'])
def deployment(request, conf, store):
    """(client, admin, the compute host) of an API whose host runs behind the transport."""
    if request.param == 'in-process':
        services = runtime.build(conf, store=store)
        services.start()
        host, server = services.compute_host, None
    else:
        from compute_api.rpc import oslo
        conf.set_override('transport_url', 'fake://')
        services = runtime.build(conf, store=store)
        assert services.compute_host is None
        host = runtime.local_compute_host(conf, store)
        host.start()
        server = oslo.RpcServer(conf, host)
        server.start()
    app = webtest.TestApp(deploy.load_app(services))
    yield Client(app), Client(app, 'admin', 'admin'), host
    if server is not None:
        server.stop()
        host.stop()
    services.stop()


def _wait(client, server_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = client.get('/v2.1/servers/%s' % server_id).json['server']
        if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.01)


def test_the_lifecycle_and_the_calls_behave_the_same_over_both_transports(deployment):
    client, admin, host = deployment
    server_id = boot(client, personality=[{'path': '/etc/motd', 'contents': 'aGk='}]).json['server']['id']
    _wait(client, server_id, 'ACTIVE')
    assert host.driver.list_instances() == [server_id]
    client.post('/v2.1/servers/%s/action' % server_id, {'reboot': {'type': 'SOFT'}}, status=202)
    _wait(client, server_id, 'ACTIVE')
    output = client.post('/v2.1/servers/%s/action' % server_id, {'os-getConsoleOutput': {'length': 1}}).json
    assert set(output) == {'output'}
    client.post('/v2.1/servers/%s/action' % server_id, {'os-stop': None}, status=202)
    _wait(client, server_id, 'SHUTOFF')
    # A call's domain error comes back as the API's fault.
    resp = admin.get('/v2.1/servers/%s/diagnostics' % server_id, status=409)
    assert resp.json['conflictingRequest']['message'] == (
        "Cannot 'get_diagnostics' instance %s while it is in power state shutdown" % server_id)
    hypervisor = admin.get('/v2.1/os-hypervisors').json['hypervisors'][0]
    assert admin.get('/v2.1/os-hypervisors/%s/uptime' % hypervisor['id']).json['hypervisor']['uptime']
    client.delete('/v2.1/servers/%s' % server_id)
    deadline = time.monotonic() + 30
    while client.get('/v2.1/servers/%s' % server_id, status=(200, 404)).status_int == 200:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert host.driver.list_instances() == []


def test_remote_consoles_are_read_by_the_host_over_both_transports(deployment):
    # get_console is a driver call: the API asks the server's host (RPC call get_console).
    client, _admin, host = deployment
    server_id = boot(client).json['server']['id']
    _wait(client, server_id, 'ACTIVE')
    url = client.post('/v2.1/servers/%s/action' % server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json
    assert url['console']['type'] == 'novnc' and 'token%3D' in url['console']['url']
    # The host's failure to read it comes back as nova's 400, not a 500.
    failing = boot(client, metadata={'fake:fail': 'get_console'}).json['server']['id']
    _wait(client, failing, 'ACTIVE')
    resp = client.post('/v2.1/servers/%s/action' % failing, {'os-getVNCConsole': {'type': 'novnc'}}, status=400)
    assert resp.json == {'badRequest': {'code': 400, 'message': 'Unavailable console type vnc.'}}


def test_the_spawn_delay_bound_is_checked_by_an_api_without_a_driver(deployment, conf):
    # [fake] max_spawn_delay is read from the API's own configuration (it has no driver with a
    # transport_url).
    client, _admin, _host = deployment
    conf.set_override('max_spawn_delay', 0.5, group='fake')
    resp = boot(client, status=400, metadata={'fake:spawn_delay': '2'})
    assert resp.json['badRequest']['message'] == (
        'Invalid metadata: fake:spawn_delay must be a number of seconds from 0 to 0.5.')


def _closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_a_cast_the_broker_cannot_take_is_novas_503_and_the_server_is_left_fixable(conf, store):
    conf.set_override('transport_url', 'rabbit://guest:guest@127.0.0.1:%d/' % _closed_port())
    runtime.local_compute_host(conf, store).report(node=True)  # a host that is up, so a create is placed
    services = runtime.build(conf, store=store)
    assert services.compute_host is None
    client = Client(webtest.TestApp(deploy.load_app(services)))
    unreachable = {'serviceUnavailable': {
        'code': 503, 'message': 'The message queue to compute host %s is unreachable; try again later.' % conf.host}}
    try:
        assert boot(client, status=503).json == unreachable
        # Nobody will build it: ERROR with the fault, not BUILD for ever.
        (server,) = client.get('/v2.1/servers/detail').json['servers']
        assert (server['status'], server['OS-EXT-STS:task_state'], server['fault']['message']) == (
            'ERROR', None, unreachable['serviceUnavailable']['message'])
        # A delete that cannot be sent is a 503 too and leaves the server as it was, to delete later.
        assert client.delete('/v2.1/servers/%s' % server['id'], status=503).json == unreachable
        shown = client.get('/v2.1/servers/%s' % server['id']).json['server']
        assert (shown['status'], shown['OS-EXT-STS:task_state']) == ('ERROR', None)
    finally:
        services.stop()
