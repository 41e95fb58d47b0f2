"""The per-action state table (catalogue §6.3): what each action accepts, nova's 409 wording."""
import datetime

import pytest

from compute_api import exception
from compute_api.compute import states

UUID = '6a1b8c8e-3c1e-4a55-9d2a-0b5f1e7a9c01'
LAUNCHED = datetime.datetime(2026, 1, 1)


def server(vm_state=states.ACTIVE, task_state=None, launched_at=LAUNCHED, locked=False, host='compute-api'):
    return {'uuid': UUID, 'vm_state': vm_state, 'task_state': task_state, 'launched_at': launched_at,
            'locked': locked, 'host': host}


def refusal(action, instance, is_admin=False):
    with pytest.raises(exception.Conflict) as caught:
        states.check_action(action, instance, is_admin)
    return caught.value


# (action, vm_states nova accepts) for the actions this API serves.
ACCEPTED_VM_STATES = [
    ('changePassword', {states.ACTIVE}),
    ('reboot:SOFT', {states.ACTIVE}),
    ('reboot:HARD', {states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED, states.ERROR}),
    ('rebuild', {states.ACTIVE, states.STOPPED, states.ERROR}),
    ('resize', {states.ACTIVE, states.STOPPED}),
    ('confirmResize', {states.RESIZED}),
    ('revertResize', {states.RESIZED}),
    ('createImage', {states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED}),
    ('stop', {states.ACTIVE, states.ERROR}),
    ('start', {states.STOPPED}),
    ('pause', {states.ACTIVE}),
    ('unpause', {states.PAUSED}),
    ('suspend', {states.ACTIVE}),
    ('resume', {states.SUSPENDED}),
    ('rescue', {states.ACTIVE, states.STOPPED, states.ERROR}),
    ('unrescue', {states.RESCUED}),
    ('createBackup', {states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED}),
    ('migrate', {states.ACTIVE, states.STOPPED}),
    ('os-migrateLive', {states.ACTIVE, states.PAUSED}),
    ('restore', {states.SOFT_DELETED}),
    ('shelve', {states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED}),
    ('shelveOffload', {states.SHELVED}),
    ('unshelve', {states.SHELVED, states.SHELVED_OFFLOADED}),
    ('update metadata', {states.ACTIVE, states.PAUSED, states.SUSPENDED, states.STOPPED}),
    ('delete metadata', {states.ACTIVE, states.PAUSED, states.SUSPENDED, states.STOPPED}),
]
ALL_VM_STATES = [states.ACTIVE, states.BUILDING, states.PAUSED, states.SUSPENDED, states.STOPPED,
                 states.RESCUED, states.RESIZED, states.SOFT_DELETED, states.ERROR, states.SHELVED,
                 states.SHELVED_OFFLOADED]


@pytest.mark.parametrize('action,accepted', ACCEPTED_VM_STATES)
def test_vm_states(action, accepted):
    for vm_state in ALL_VM_STATES:
        if vm_state in accepted:
            states.check_action(action, server(vm_state), is_admin=False)
        else:
            error = refusal(action, server(vm_state))
            assert isinstance(error, exception.InstanceInvalidState)
            assert error.message == "Cannot '%s' instance %s while it is in vm_state %s" % (
                action.split(':')[0], UUID, vm_state)


@pytest.mark.parametrize('action', ['changePassword', 'reboot:SOFT', 'rebuild', 'resize', 'createImage',
                                    'stop'])
def test_busy_server_is_refused_by_task_state(action):
    error = refusal(action, server(task_state=states.REBOOTING_HARD))
    assert error.message == "Cannot '%s' instance %s while it is in task_state rebooting_hard" % (
        action.split(':')[0], UUID)


def test_hard_reboot_may_interrupt_a_reboot_but_not_a_rebuild():
    for task_state in (states.REBOOTING, states.REBOOTING_HARD, states.REBOOT_STARTED, None):
        states.check_action('reboot:HARD', server(task_state=task_state), is_admin=False)
    error = refusal('reboot:HARD', server(task_state=states.REBUILDING))
    assert error.message.endswith('task_state rebuilding')
    assert refusal('reboot:SOFT', server(task_state=states.REBOOTING)).message.endswith('task_state rebooting')


def test_metadata_updates_ignore_the_task_state():
    states.check_action('update metadata', server(task_state=states.REBOOTING), is_admin=False)
    states.check_action('delete metadata', server(states.STOPPED, task_state=states.POWERING_ON), is_admin=False)


def test_never_launched_server_is_refused():
    error = refusal('stop', server(launched_at=None))
    assert error.message == "Instance %s is in an invalid state for 'stop'" % UUID


def test_lock_blocks_non_admins_before_any_state_check():
    # nova checks the lock first: a locked server in a wrong state still answers "locked".
    error = refusal('reboot:SOFT', server(states.STOPPED, locked=True))
    assert isinstance(error, exception.InstanceIsLocked)
    assert error.message == 'Instance %s is locked' % UUID
    states.check_action('reboot:SOFT', server(locked=True), is_admin=True)


def test_snapshot_and_lock_actions_ignore_the_lock():
    for action in ('createImage', 'lock', 'unlock'):
        states.check_action(action, server(locked=True), is_admin=False)


def test_lock_and_unlock_accept_any_state():
    for vm_state in ALL_VM_STATES:
        for action in ('lock', 'unlock'):
            states.check_action(action, server(vm_state, task_state=states.SPAWNING, launched_at=None),
                                is_admin=False)


def test_force_delete_takes_any_idle_server_even_never_launched():
    for vm_state in ALL_VM_STATES:
        states.check_action('forceDelete', server(vm_state, launched_at=None), is_admin=False)
    error = refusal('forceDelete', server(states.BUILDING, task_state=states.SPAWNING, launched_at=None))
    assert error.message.endswith('task_state spawning')


def test_stop_and_start_need_a_host_checked_after_the_lock():
    for action in ('stop', 'start'):
        error = refusal(action, server(states.BUILDING, task_state=states.SCHEDULING, launched_at=None, host=None))
        assert isinstance(error, exception.InstanceNotReady)
        assert error.message == 'Instance %s is not ready' % UUID
        assert isinstance(refusal(action, server(host=None, locked=True)), exception.InstanceIsLocked)
