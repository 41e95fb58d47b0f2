"""Where new servers go (compute_api/scheduler.py): up, enabled hosts with room for the flavor,
the one with the most free RAM first; no room anywhere is nova's "No valid host was found".
Exact under concurrency: parallel creates never put a host over its capacity (run on PostgreSQL
and MariaDB through $COMPUTE_API_TEST_DB)."""
import threading

import pytest

from compute_api import runtime
from tests.functional.test_servers import boot

NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.'
TINY_MB = 512  # m1.tiny: 1 vCPU, 512 MB, 1 GB


def _room_for(services, conf, count):
    """The fake node of every host has room for exactly `count` m1.tiny servers (RAM decides)."""
    conf.set_override('memory_mb', conf.reserved_host_memory_mb + count * TINY_MB, group='fake')
    services.compute_host.report(node=True)


@pytest.fixture
def second_host(services, conf, store):
    host = runtime.local_compute_host(conf, store, name='compute-2')
    host.start()
    services.compute.transport.hosts[host.name] = host
    yield host
    host.stop()


def _outcome(admin, server_id):
    server = admin.get('/v2.1/servers/%s' % server_id).json['server']
    return server['status'], server['OS-EXT-SRV-ATTR:host'], (server.get('fault') or {}).get('message')


def test_servers_spread_over_the_hosts_with_room_then_find_none(admin, client, services, conf, second_host):
    _room_for(services, conf, 2)
    second_host.report(node=True)
    server_ids = [boot(client).json['server']['id'] for _ in range(5)]
    services.compute_host.tasks.wait()
    second_host.tasks.wait()
    outcomes = [_outcome(admin, server_id) for server_id in server_ids]
    assert sorted(outcomes[:4]) == [('ACTIVE', 'compute-2', None)] * 2 + [('ACTIVE', 'compute-api', None)] * 2
    assert outcomes[4] == ('ERROR', None, NO_VALID_HOST)
    # A delete gives its room back.
    client.delete('/v2.1/servers/%s' % server_ids[0])
    services.compute_host.tasks.wait()
    second_host.tasks.wait()
    server_id = boot(client).json['server']['id']
    assert _outcome(admin, server_id)[1] == outcomes[0][1]


def test_a_request_for_more_servers_than_fit_fails_as_a_whole(admin, client, services, conf):
    _room_for(services, conf, 2)
    boot(client, min_count=3, max_count=3)
    servers = admin.get('/v2.1/servers/detail?all_tenants=1').json['servers']
    assert len(servers) == 3
    assert {(s['status'], s['fault']['message']) for s in servers} == {('ERROR', NO_VALID_HOST)}
    boot(client, min_count=2, max_count=2)
    services.compute_host.tasks.wait()
    assert admin.get('/v2.1/os-hypervisors/detail').json['hypervisors'][0]['running_vms'] == 2


def test_parallel_creates_never_exceed_a_hosts_room(app, admin, services, conf):
    _room_for(services, conf, 5)
    results = []
    start = threading.Barrier(20)

    def create(index):
        caller = admin.as_user('u%d' % index, 'p%d' % index)  # each its own quota
        start.wait()
        results.append(boot(caller).json['server']['id'])
    threads = [threading.Thread(target=create, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    services.compute_host.tasks.wait()
    outcomes = [_outcome(admin, server_id) for server_id in results]
    assert sorted(outcomes) == [('ACTIVE', 'compute-api', None)] * 5 + [('ERROR', None, NO_VALID_HOST)] * 15
