"""A server's security groups under concurrency, through the WSGI app from parallel threads (on
PostgreSQL and MariaDB with $COMPUTE_API_TEST_DB; SQLite runs one writer at a time): concurrent
adds and removes on one server lose nothing, and a group deleted while servers are given it is
either deleted (and no server has it) or still in use (and every server given it has it)."""
import threading

import pytest

from tests.functional.test_security_groups import IMAGE
from tests.functional.test_security_groups import boot
from tests.functional.test_security_groups import create
from tests.functional.test_security_groups import message

PARALLEL = 20
ROUNDS = 10


@pytest.fixture(autouse=True)
def no_quotas(conf):
    for resource in ('instances', 'cores', 'ram', 'security_groups'):
        conf.set_override(resource, -1, group='quota')


def together(*calls):
    """Run the calls at once, one thread each; their results in order."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def act(client, server, action, name):
    resp = client.post('/v2.1/servers/%s/action' % server, {action: {'name': name}}, status='*')
    return resp.status_int


def group_names(client, server):
    """What the server's document and its os-security-groups say it has (they must agree)."""
    shown = [g['name'] for g in client.get('/v2.1/servers/%s' % server).json['server'].get('security_groups', [])]
    listed = [g['name'] for g in client.get('/v2.1/servers/%s/os-security-groups' % server).json['security_groups']]
    assert sorted(shown) == listed
    return set(listed)


def test_parallel_adds_and_removes_on_one_server_lose_nothing(client, services):
    server = boot(client)
    kept = ['kept-%d' % i for i in range(PARALLEL // 2)]
    added = ['added-%d' % i for i in range(PARALLEL // 2)]
    for name in kept + added:
        create(client, name)
    for name in kept:
        assert act(client, server, 'addSecurityGroup', name) == 202
    removed = kept[:PARALLEL // 4]
    calls = [lambda name=name: act(client, server, 'addSecurityGroup', name) for name in added]
    calls += [lambda name=name: act(client, server, 'removeSecurityGroup', name) for name in removed]
    calls += [lambda name=name: act(client, server, 'addSecurityGroup', name) for name in kept[PARALLEL // 4:]]
    statuses = together(*calls)
    assert statuses == [202] * len(added) + [202] * len(removed) + [400] * (len(kept) - len(removed))
    assert group_names(client, server) == {'default'} | set(added) | set(kept) - set(removed)
    services.tasks.wait()


def test_a_group_deleted_while_servers_are_given_it_is_deleted_or_in_use(client, services):
    server = boot(client)
    for round_number in range(ROUNDS):
        name = 'contested-%d' % round_number
        group = create(client, name).json['security_group']
        deleted, added, created = together(
            lambda: client.delete('/v2.1/os-security-groups/%d' % group['id'], status='*'),
            lambda: act(client, server, 'addSecurityGroup', name),
            lambda: client.post('/v2.1/servers', {'server': {
                'name': 'new', 'imageRef': IMAGE, 'flavorRef': '1',
                'security_groups': [{'name': name}]}}, status='*'))
        existing = {g['name'] for g in client.get('/v2.1/os-security-groups').json['security_groups']}
        outcome = (deleted.status_int, added, created.status_int)
        if deleted.status_int == 202:
            assert (added, created.status_int) == (404, 400), outcome
            assert name not in existing
            assert name not in group_names(client, server)
        else:
            assert deleted.status_int == 400 and message(deleted) == 'Security group is still in use', outcome
            assert 202 in (added, created.status_int), outcome
            assert name in existing
            assert (name in group_names(client, server)) == (added == 202), outcome
            if created.status_int == 202:
                assert group_names(client, created.json['server']['id']) == {name}
    services.tasks.wait()
