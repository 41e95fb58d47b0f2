"""GET /servers/{server_id}/diagnostics: admin only, the driver's figures for a running server,
409 for one that is not running or never reached a host, 404 for an unknown server."""
import uuid

import pytest

from tests.functional.test_server_actions import act, boot, fault, unscheduled_server

FAKE_FIGURES = {'cpu0_time': 17300000000, 'memory': 524288, 'vda_errors': -1, 'vda_read': 262144,
                'vda_read_req': 112, 'vda_write': 5778432, 'vda_write_req': 488, 'vnet1_rx': 2070139,
                'vnet1_rx_drop': 0, 'vnet1_rx_errors': 0, 'vnet1_rx_packets': 26701, 'vnet1_tx': 140208,
                'vnet1_tx_drop': 0, 'vnet1_tx_errors': 0, 'vnet1_tx_packets': 662}


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/admin'])
def test_an_admin_sees_the_drivers_figures_of_any_projects_server(client, admin, services, prefix):
    server_id = boot(client, services)
    assert admin.get('%s/servers/%s/diagnostics' % (prefix, server_id)).json == FAKE_FIGURES


def test_the_owner_is_forbidden_and_another_project_sees_no_server(client, services):
    server_id = boot(client, services)
    resp = client.get('/v2.1/servers/%s/diagnostics' % server_id, status=403)
    assert fault(resp)[:2] == ('forbidden', 403)
    other = client.as_user('alice', 'other')
    assert fault(other.get('/v2.1/servers/%s/diagnostics' % server_id, status=404))[:2] == ('itemNotFound', 404)


def test_an_unknown_server_is_not_found(admin):
    missing = str(uuid.uuid4())
    assert fault(admin.get('/v2.1/servers/%s/diagnostics' % missing, status=404)) == \
        ('itemNotFound', 404, 'Instance %s could not be found.' % missing)


@pytest.mark.parametrize('action,state', [({'os-stop': None}, 'shutdown'), ({'pause': None}, 'paused')])
def test_a_server_that_is_not_running_is_a_conflict(client, admin, services, action, state):
    server_id = boot(client, services)
    act(client, server_id, action)
    services.tasks.wait()
    assert fault(admin.get('/v2.1/servers/%s/diagnostics' % server_id, status=409)) == (
        'conflictingRequest', 409,
        "Cannot 'get_diagnostics' instance %s while it is in power state %s" % (server_id, state))


def test_a_server_that_never_reached_a_host_is_not_ready(client, admin, services):
    server_id = unscheduled_server(client, services)
    assert fault(admin.get('/v2.1/servers/%s/diagnostics' % server_id, status=409)) == \
        ('conflictingRequest', 409, 'Instance %s is not ready' % server_id)
