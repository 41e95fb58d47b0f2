"""POST /servers/{id}/action: dispatch, the power actions, lock, the state table and failures."""
import uuid

import pytest

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
PREFIXES = ['/v2.1', '/v2/demo']


def boot(client, services, metadata=None, prefix='/v2.1'):
    """An ACTIVE server of the caller; returns its id."""
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1', 'metadata': metadata or {}}}
    server_id = client.post(prefix + '/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    assert show(client, server_id)['status'] == 'ACTIVE'
    return server_id


class HeldTasks:
    """After hold(), driver work waits for release(), which runs it in submission order: the
    states an action passes through can be seen without racing its task."""

    def __init__(self, services, monkeypatch):
        self.services, self.monkeypatch = services, monkeypatch
        self.queue = []

    def hold(self):
        self.monkeypatch.setattr(self.services.tasks, 'submit', lambda fn, *args: self.queue.append((fn, args)))

    def release(self):
        while self.queue:
            fn, args = self.queue.pop(0)
            fn(*args)


@pytest.fixture
def held(services, monkeypatch):
    return HeldTasks(services, monkeypatch)


def show(client, server_id):
    return client.get('/v2.1/servers/%s' % server_id).json['server']


def act(client, server_id, body, status=202, prefix='/v2.1'):
    return client.post('%s/servers/%s/action' % (prefix, server_id), body, status=status)


def done(client, services, server_id, body, prefix='/v2.1'):
    """Perform an action and let its driver work finish; returns the server afterwards."""
    act(client, server_id, body, status=200 if 'rescue' in body else 202, prefix=prefix)
    services.tasks.wait()
    return show(client, server_id)


def fault(resp):
    ((name, document),) = resp.json.items()
    return name, document['code'], document['message']


def sts(server):
    return server['status'], server['OS-EXT-STS:vm_state'], server['OS-EXT-STS:task_state'], \
        server['OS-EXT-STS:power_state']


# -- dispatch --------------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', PREFIXES)
@pytest.mark.parametrize('body', [{}, {'os-stop': None, 'os-start': None}, [{'os-stop': None}], 'os-stop'])
def test_a_body_without_exactly_one_key_is_malformed(client, services, prefix, body):
    server_id = boot(client, services)
    resp = act(client, server_id, body, status=400, prefix=prefix)
    assert fault(resp) == ('badRequest', 400, 'Malformed request body')


def test_no_body_or_bad_json_is_malformed(client, services):
    server_id = boot(client, services)
    for raw in (b'', b'{"reboot": '):
        resp = client.testapp.post('/v2.1/servers/%s/action' % server_id, raw, headers=dict(
            client.headers(), **{'Content-Type': 'application/json'}), status=400)
        assert fault(resp)[2] == 'Malformed request body'


@pytest.mark.parametrize('prefix', PREFIXES)
def test_an_unknown_action_is_a_400(client, services, prefix):
    server_id = boot(client, services)
    resp = act(client, server_id, {'fly': {}}, status=400, prefix=prefix)
    assert fault(resp) == ('badRequest', 400, 'There is no such action: fly')


def test_an_unknown_or_foreign_server_is_a_404(client, services):
    server_id = boot(client, services)
    other = client.as_user('other')
    for target in (server_id, str(uuid.uuid4())):
        resp = act(other, target, {'os-stop': None}, status=404)
        assert fault(resp) == ('itemNotFound', 404, 'Instance %s could not be found.' % target)


# -- power -----------------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', PREFIXES)
@pytest.mark.parametrize('reboot_type, task_state, status', [
    ('SOFT', 'rebooting', 'REBOOT'), ('HARD', 'rebooting_hard', 'HARD_REBOOT'), ('soft', 'rebooting', 'REBOOT')])
def test_reboot(client, services, held, prefix, reboot_type, task_state, status):
    server_id = boot(client, services)
    held.hold()
    resp = act(client, server_id, {'reboot': {'type': reboot_type}}, prefix=prefix)
    assert resp.body == b''
    during = show(client, server_id)
    assert (during['status'], during['OS-EXT-STS:task_state']) == (status, task_state)
    held.release()
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


@pytest.mark.parametrize('body', [{'reboot': {}}, {'reboot': {'type': 'WARM'}}, {'reboot': None},
                                  {'reboot': {'type': 'HARD', 'extra': 1}}])
def test_reboot_needs_a_type(client, services, body):
    server_id = boot(client, services)
    assert fault(act(client, server_id, body, status=400))[0] == 'badRequest'


def test_legacy_v2_drops_unknown_keys_and_takes_any_case(client, services):
    server_id = boot(client, services)
    assert done(client, services, server_id, {'reboot': {'type': 'hArD', 'extra': 1}},
                prefix='/v2/demo')['status'] == 'ACTIVE'


def test_stop_and_start(client, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'os-stop': None})
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', 'powering-off', 1)
    held.release()
    assert sts(show(client, server_id)) == ('SHUTOFF', 'stopped', None, 4)
    act(client, server_id, {'os-start': None})
    assert sts(show(client, server_id)) == ('SHUTOFF', 'stopped', 'powering-on', 4)
    held.release()
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


def test_hard_reboot_starts_a_stopped_server(client, services):
    server_id = boot(client, services)
    done(client, services, server_id, {'os-stop': None})
    assert sts(done(client, services, server_id, {'reboot': {'type': 'HARD'}})) == ('ACTIVE', 'active', None, 1)


def test_pause_and_unpause(client, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'pause': None})
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', 'pausing', 1)
    held.release()
    assert sts(show(client, server_id)) == ('PAUSED', 'paused', None, 3)
    act(client, server_id, {'unpause': None})
    assert sts(show(client, server_id)) == ('PAUSED', 'paused', 'unpausing', 3)
    held.release()
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


def test_suspend_and_resume(client, services):
    server_id = boot(client, services)
    assert sts(done(client, services, server_id, {'suspend': None})) == ('SUSPENDED', 'suspended', None, 7)
    assert sts(done(client, services, server_id, {'resume': None})) == ('ACTIVE', 'active', None, 1)


# -- the state table -------------------------------------------------------------------------------

# (action body, the state it cannot be in, how to get there from ACTIVE)
REFUSED = [
    ({'os-start': None}, 'start', 'active', []),
    ({'unpause': None}, 'unpause', 'active', []),
    ({'resume': None}, 'resume', 'active', []),
    ({'unrescue': None}, 'unrescue', 'active', []),
    ({'confirmResize': None}, 'confirmResize', 'active', []),
    ({'revertResize': None}, 'revertResize', 'active', []),
    ({'reboot': {'type': 'SOFT'}}, 'reboot', 'stopped', [{'os-stop': None}]),
    ({'os-stop': None}, 'stop', 'stopped', [{'os-stop': None}]),
    ({'pause': None}, 'pause', 'stopped', [{'os-stop': None}]),
    ({'suspend': None}, 'suspend', 'paused', [{'pause': None}]),
    ({'changePassword': {'adminPass': 'x'}}, 'changePassword', 'suspended', [{'suspend': None}]),
    ({'resize': {'flavorRef': '2'}}, 'resize', 'paused', [{'pause': None}]),
    ({'rebuild': {'imageRef': IMAGE}}, 'rebuild', 'suspended', [{'suspend': None}]),
    ({'createImage': {'name': 'snap'}}, 'createImage', 'rescued', [{'rescue': None}]),
    ({'rescue': None}, 'rescue', 'paused', [{'pause': None}]),
    ({'restore': None}, 'restore', 'active', []),
    ({'migrate': None}, 'migrate', 'paused', [{'pause': None}]),
]


@pytest.mark.parametrize('body, name, vm_state, path', REFUSED, ids=[r[1] for r in REFUSED])
def test_an_action_in_a_wrong_vm_state_is_novas_409(client, services, admin, body, name, vm_state, path):
    server_id = boot(client, services)
    for step in path:
        done(client, services, server_id, step)
    caller = admin if name == 'migrate' else client
    for prefix in PREFIXES:
        resp = act(caller, server_id, body, status=409, prefix=prefix.replace('demo', caller.project))
        assert fault(resp) == ('conflictingRequest', 409, "Cannot '%s' instance %s while it is in vm_state %s"
                               % (name, server_id, vm_state))


def test_a_busy_server_is_refused_by_its_task_state(client, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'os-stop': None})
    resp = act(client, server_id, {'reboot': {'type': 'SOFT'}}, status=409)
    assert fault(resp)[2] == "Cannot 'reboot' instance %s while it is in task_state powering-off" % server_id
    held.release()
    assert show(client, server_id)['status'] == 'SHUTOFF'


def test_a_hard_reboot_may_interrupt_a_soft_one(client, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'reboot': {'type': 'SOFT'}})
    act(client, server_id, {'reboot': {'type': 'HARD'}})
    assert show(client, server_id)['status'] == 'HARD_REBOOT'
    held.release()
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


def test_a_building_server_refuses_actions(client, services, held):
    held.hold()
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    resp = act(client, server_id, {'reboot': {'type': 'HARD'}}, status=409)
    assert fault(resp)[2] == "Cannot 'reboot' instance %s while it is in vm_state building" % server_id
    held.release()
    assert show(client, server_id)['status'] == 'ACTIVE'


def unscheduled_server(client, services):
    """A server that never reached a host: an anti-affinity group holds one server on this single
    host, so the second one fails unscheduled (ERROR, no host)."""
    group = client.post('/v2.1/os-server-groups', {'server_group': {'name': 'g', 'policies': ['anti-affinity']}})
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'},
            'os:scheduler_hints': {'group': group.json['server_group']['id']}}
    client.post('/v2.1/servers', body, status=202)
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    return server_id


def test_a_server_that_never_reached_a_host_is_not_ready(client, services):
    server_id = unscheduled_server(client, services)
    assert show(client, server_id)['status'] == 'ERROR'
    resp = act(client, server_id, {'os-stop': None}, status=409)
    assert fault(resp) == ('conflictingRequest', 409, 'Instance %s is not ready' % server_id)


def test_a_server_that_never_ran_cannot_be_stopped(client, services):
    server_id = boot_failing(client, services, 'spawn')
    resp = act(client, server_id, {'os-stop': None}, status=409)
    assert fault(resp)[2] == "Instance %s is in an invalid state for 'stop'" % server_id


# -- failures --------------------------------------------------------------------------------------

def boot_failing(client, services, operations):
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1', 'metadata': {'fake:fail': operations}}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    return server_id


def test_a_failed_hard_reboot_of_a_stopped_server_is_an_error_with_a_fault(client, services):
    server_id = boot_failing(client, services, 'reboot')
    done(client, services, server_id, {'os-stop': None})
    server = done(client, services, server_id, {'reboot': {'type': 'HARD'}})
    assert sts(server) == ('ERROR', 'error', None, 4)
    assert server['fault']['code'] == 500
    assert server['fault']['message'] == 'The fake driver was asked to fail reboot.'


def test_a_failed_reboot_of_a_running_guest_leaves_it_active(client, services, admin):
    server_id = boot_failing(client, services, 'reboot')
    server = done(client, services, server_id, {'reboot': {'type': 'SOFT'}})
    assert sts(server) == ('ACTIVE', 'active', None, 1)
    assert 'fault' not in server


@pytest.mark.parametrize('operation, body, state', [
    ('power_off', {'os-stop': None}, ('ACTIVE', 'active', None, 1)),
    ('pause', {'pause': None}, ('ACTIVE', 'active', None, 1)),
    ('suspend', {'suspend': None}, ('ACTIVE', 'active', None, 1)),
])
def test_a_failed_power_action_puts_the_server_back(client, services, operation, body, state):
    server_id = boot_failing(client, services, operation)
    assert sts(done(client, services, server_id, body)) == state


@pytest.mark.parametrize('operation, path, body', [
    ('set_admin_password', [], {'changePassword': {'adminPass': 'n3w-Pass'}}),
    ('resume', [{'suspend': None}], {'resume': None}),
    ('rescue', [], {'rescue': None}),
    ('rebuild', [], {'rebuild': {'imageRef': IMAGE}}),
    ('resize', [], {'resize': {'flavorRef': '2'}}),
])
def test_a_failed_driver_operation_is_an_error_with_a_fault(client, services, admin, operation, path, body):
    server_id = boot_failing(client, services, operation)
    for step in path:
        done(client, services, server_id, step)
    server = done(client, services, server_id, body)
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('ERROR', None)
    assert server['fault']['message'] == 'The fake driver was asked to fail %s.' % operation
    assert 'details' not in server['fault']
    assert 'Traceback' in admin.get('/v2.1/servers/%s' % server_id).json['server']['fault']['details']


def test_a_delete_during_an_action_wins(client, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'pause': None})
    client.delete('/v2.1/servers/%s' % server_id)
    held.release()
    client.get('/v2.1/servers/%s' % server_id, status=404)
    assert services.driver.list_instances() == []


# -- lock ------------------------------------------------------------------------------------------

def test_a_locked_server_refuses_its_owner_with_409(client, services):
    server_id = boot(client, services)
    act(client, server_id, {'lock': None})
    for body in ({'os-stop': None}, {'reboot': {'type': 'HARD'}}, {'pause': None}, {'resize': {'flavorRef': '2'}},
                 {'rebuild': {'imageRef': IMAGE}}, {'changePassword': {'adminPass': 'x'}}, {'rescue': None}):
        resp = act(client, server_id, body, status=409)
        assert fault(resp) == ('conflictingRequest', 409, 'Instance %s is locked' % server_id)
    resp = client.delete('/v2.1/servers/%s' % server_id, status=409)
    assert fault(resp)[2] == 'Instance %s is locked' % server_id
    client.put('/v2.1/servers/%s/metadata/k' % server_id, {'meta': {'k': 'v'}}, status=409)
    # Snapshots ignore the lock (nova).
    act(client, server_id, {'createImage': {'name': 'snap'}})
    services.tasks.wait()
    act(client, server_id, {'unlock': None})
    assert done(client, services, server_id, {'os-stop': None})['status'] == 'SHUTOFF'


def test_an_admin_acts_on_a_locked_server(client, admin, services):
    server_id = boot(client, services)
    act(client, server_id, {'lock': None})
    assert done(admin, services, server_id, {'os-stop': None})['status'] == 'SHUTOFF'
    admin.delete('/v2.1/servers/%s' % server_id)


def test_an_owner_cannot_lift_an_admins_lock(client, admin, services):
    server_id = boot(client, services)
    act(admin, server_id, {'lock': None})
    resp = act(client, server_id, {'unlock': None}, status=403)
    assert fault(resp)[2] == ("Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be "
                              "performed.")
    act(admin, server_id, {'unlock': None})
    act(client, server_id, {'lock': None})
    act(client, server_id, {'unlock': None})
    act(client, server_id, {'os-stop': None})
    services.tasks.wait()


def test_lock_and_unlock_work_in_any_state_and_twice(client, services):
    server_id = boot_failing(client, services, 'spawn')
    for body in ({'lock': None}, {'lock': None}, {'unlock': None}, {'unlock': None}):
        act(client, server_id, body, prefix='/v2/demo')


def test_locked_is_shown_from_2_9(client, services):
    server_id = boot(client, services)
    path = '/v2.1/servers/%s' % server_id
    at_28, at_29 = client.as_user('demo', version='2.8'), client.as_user('demo', version='2.9')
    assert 'locked' not in at_28.get(path).json['server']
    assert at_29.get(path).json['server']['locked'] is False
    act(client, server_id, {'lock': None})
    assert at_29.get(path).json['server']['locked'] is True
    assert at_29.get('/v2.1/servers/detail').json['servers'][0]['locked'] is True
    assert at_29.put(path, {'server': {'name': 'renamed'}}).json['server']['locked'] is True
    assert 'locked' not in at_28.put(path, {'server': {'name': 'again'}}).json['server']
