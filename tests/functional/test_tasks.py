"""The task runner, and the start-up recovery of work a crash left in flight."""
import logging
import threading

import pytest

from compute_api.compute import tasks
from compute_api.db import models
from compute_api.virt import driver as driver_mod
from tests.functional.test_servers import boot


def test_runner_runs_tasks_off_the_callers_thread_and_waits_for_them():
    runner = tasks.TaskRunner(workers=2)
    seen = []
    for n in range(10):
        runner.submit(lambda n=n: seen.append((n, threading.current_thread() is not threading.main_thread())))
    assert runner.wait(30)
    assert sorted(seen) == [(n, True) for n in range(10)]


def test_a_worker_takes_the_next_task_then_ends_when_idle(monkeypatch):
    runner = tasks.TaskRunner(workers=4)
    workers = []

    def run_one():
        runner.submit(lambda: workers.append(threading.current_thread()))
        assert runner.wait(30)
    monkeypatch.setattr(tasks, 'IDLE_SECONDS', 30)
    for _ in range(3):
        run_one()
    assert len(set(workers)) == 1
    monkeypatch.setattr(tasks, 'IDLE_SECONDS', 0.01)
    run_one()  # the worker's next wait for work is a short one
    workers[-1].join(30)
    assert not workers[-1].is_alive()


def test_a_failing_task_is_logged_not_raised(caplog):
    runner = tasks.TaskRunner(workers=1)

    def explode():
        raise ValueError('boom')
    with caplog.at_level(logging.ERROR, logger='compute_api.compute.tasks'):
        runner.submit(explode)
        assert runner.wait(30)
    assert 'Task explode failed' in caplog.text
    done = []
    runner.submit(done.append, 1)
    assert runner.wait(30) and done == [1]


def test_a_stopped_runner_refuses_new_tasks():
    runner = tasks.TaskRunner(workers=1)
    assert runner.stop(timeout=5)
    with pytest.raises(RuntimeError):
        runner.submit(print)


def test_wait_gives_up_after_its_timeout():
    runner = tasks.TaskRunner(workers=1)
    release = threading.Event()
    runner.submit(release.wait, 30)
    assert runner.wait(0.01) is False
    release.set()
    assert runner.wait(30)


# -- recovery --------------------------------------------------------------------------------------

def _stranded(client, services, monkeypatch, task_state, vm_state='building', host='compute-api', **fields):
    """A server left by a dead process in `task_state` (its build never ran here)."""
    monkeypatch.setattr(services.tasks, 'submit', lambda fn, *args: None)
    server_id = boot(client, **fields).json['server']['id']
    monkeypatch.undo()
    with services.store.write() as conn:
        conn.execute(models.instances.update().where(models.instances.c.uuid == server_id).values(
            task_state=task_state, vm_state=vm_state, host=host))
    return server_id


@pytest.mark.parametrize('task_state', ['scheduling', 'spawning'])
def test_an_interrupted_build_becomes_error_with_a_fault(client, services, monkeypatch, task_state):
    server_id = _stranded(client, services, monkeypatch, task_state)
    services.start()
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('ERROR', None)
    assert server['fault']['message'] == ('Build interrupted: the service restarted while the server was '
                                          'building.')


def test_recovery_destroys_what_an_interrupted_spawn_left_on_the_hypervisor(client, services, monkeypatch):
    server_id = _stranded(client, services, monkeypatch, 'spawning')
    services.driver.spawn({'uuid': server_id, 'metadata': {}}, None, driver_mod.Guest(hostname='vm'))
    services.start()
    services.tasks.wait()
    assert services.driver.list_instances() == []
    client.get('/v2.1/servers/%s' % server_id)


def test_an_interrupted_delete_is_completed(client, services, monkeypatch):
    server_id = _stranded(client, services, monkeypatch, 'deleting', vm_state='active')
    services.start()
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server_id, status=404)


def test_other_interrupted_tasks_are_cleared(client, services, monkeypatch):
    server_id = _stranded(client, services, monkeypatch, 'rebooting', vm_state='active')
    services.start()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('ACTIVE', None)


def test_another_hosts_servers_are_left_alone(client, services, monkeypatch):
    server_id = _stranded(client, services, monkeypatch, 'spawning', host='other-host')
    services.start()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('BUILD', 'spawning')


def test_a_failed_delete_leaves_the_server_in_error(client, services):
    server_id = boot(client, metadata={'fake:fail': 'destroy'}).json['server']['id']
    services.tasks.wait()
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['fault']['message']) == ('ERROR', 'The fake driver was asked to fail destroy.')


def test_only_a_hosts_first_process_recovers(client, services, conf, store, monkeypatch):
    from compute_api import runtime as services_mod
    sibling = services_mod.build(conf, store=store)
    sibling.start()  # a live process of this host, e.g. another gunicorn worker
    try:
        server_id = _stranded(client, services, monkeypatch, 'spawning')
        services.start()  # starts next to it: the build in flight may be the sibling's
        server = client.get('/v2.1/servers/%s' % server_id).json['server']
        assert (server['status'], server['OS-EXT-STS:task_state']) == ('BUILD', 'spawning')
    finally:
        sibling.stop()
    services.stop()
    restarted = services_mod.build(conf, store=store)
    restarted.start()  # alone now
    try:
        assert client.get('/v2.1/servers/%s' % server_id).json['server']['status'] == 'ERROR'
    finally:
        restarted.stop()


def test_host_lock_is_shared_by_live_processes_and_dies_with_them(conf):
    first, second = tasks.HostLock(conf), tasks.HostLock(conf)
    called = []
    assert first.acquire(while_alone=lambda: called.append('first'))
    assert not second.acquire(while_alone=lambda: called.append('second'))
    assert called == ['first']
    first.release()
    second.release()
    third = tasks.HostLock(conf)
    assert third.acquire()
    third.release()
