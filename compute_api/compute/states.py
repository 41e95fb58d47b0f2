"""Server states: nova's vm_state and task_state values, and the one table mapping them to the
public status (nova/api/openstack/common.py _STATE_MAP, unchanged since Kilo).

A server's status is a function of (vm_state, task_state) only, except that a deleted row is
DELETED whatever it holds. The ?status= list filter is the inverse of the same table.
"""
from compute_api import exception

# -- vm_state ----------------------------------------------------------------------------------
ACTIVE = 'active'
BUILDING = 'building'
PAUSED = 'paused'
SUSPENDED = 'suspended'
STOPPED = 'stopped'
RESCUED = 'rescued'
RESIZED = 'resized'
SOFT_DELETED = 'soft-delete'
DELETED = 'deleted'
ERROR = 'error'
SHELVED = 'shelved'
SHELVED_OFFLOADED = 'shelved_offloaded'

# -- task_state (None when idle) ---------------------------------------------------------------
SCHEDULING = 'scheduling'
BLOCK_DEVICE_MAPPING = 'block_device_mapping'
NETWORKING = 'networking'
SPAWNING = 'spawning'
IMAGE_SNAPSHOT = 'image_snapshot'
IMAGE_SNAPSHOT_PENDING = 'image_snapshot_pending'
IMAGE_PENDING_UPLOAD = 'image_pending_upload'
IMAGE_UPLOADING = 'image_uploading'
IMAGE_BACKUP = 'image_backup'
UPDATING_PASSWORD = 'updating_password'
RESIZE_PREP = 'resize_prep'
RESIZE_MIGRATING = 'resize_migrating'
RESIZE_MIGRATED = 'resize_migrated'
RESIZE_FINISH = 'resize_finish'
RESIZE_REVERTING = 'resize_reverting'
RESIZE_CONFIRMING = 'resize_confirming'
REBOOTING = 'rebooting'
REBOOT_PENDING = 'reboot_pending'
REBOOT_STARTED = 'reboot_started'
REBOOTING_HARD = 'rebooting_hard'
REBOOT_PENDING_HARD = 'reboot_pending_hard'
REBOOT_STARTED_HARD = 'reboot_started_hard'
PAUSING = 'pausing'
UNPAUSING = 'unpausing'
SUSPENDING = 'suspending'
RESUMING = 'resuming'
POWERING_OFF = 'powering-off'
POWERING_ON = 'powering-on'
RESCUING = 'rescuing'
UNRESCUING = 'unrescuing'
REBUILDING = 'rebuilding'
REBUILD_BLOCK_DEVICE_MAPPING = 'rebuild_block_device_mapping'
REBUILD_SPAWNING = 'rebuild_spawning'
MIGRATING = 'migrating'
DELETING = 'deleting'
SOFT_DELETING = 'soft-deleting'
RESTORING = 'restoring'
SHELVING = 'shelving'
SHELVING_IMAGE_PENDING_UPLOAD = 'shelving_image_pending_upload'
SHELVING_IMAGE_UPLOADING = 'shelving_image_uploading'
SHELVING_OFFLOADING = 'shelving_offloading'
UNSHELVING = 'unshelving'

# The task states of a build; a build found in one of them at start-up died with the process.
BUILD_TASK_STATES = (SCHEDULING, BLOCK_DEVICE_MAPPING, NETWORKING, SPAWNING)

# Every task state, for the start-up recovery (a task never outlives its process).
TASK_STATES = (
    SCHEDULING, BLOCK_DEVICE_MAPPING, NETWORKING, SPAWNING, IMAGE_SNAPSHOT, IMAGE_SNAPSHOT_PENDING,
    IMAGE_PENDING_UPLOAD, IMAGE_UPLOADING, IMAGE_BACKUP, UPDATING_PASSWORD, RESIZE_PREP,
    RESIZE_MIGRATING, RESIZE_MIGRATED, RESIZE_FINISH, RESIZE_REVERTING, RESIZE_CONFIRMING, REBOOTING,
    REBOOT_PENDING, REBOOT_STARTED, REBOOTING_HARD, REBOOT_PENDING_HARD, REBOOT_STARTED_HARD, PAUSING,
    UNPAUSING, SUSPENDING, RESUMING, POWERING_OFF, POWERING_ON, RESCUING, UNRESCUING, REBUILDING,
    REBUILD_BLOCK_DEVICE_MAPPING, REBUILD_SPAWNING, MIGRATING, DELETING, SOFT_DELETING, RESTORING,
    SHELVING, SHELVING_IMAGE_PENDING_UPLOAD, SHELVING_IMAGE_UPLOADING, SHELVING_OFFLOADING, UNSHELVING,
)

# -- public status -----------------------------------------------------------------------------
_REBOOT = {REBOOTING: 'REBOOT', REBOOT_PENDING: 'REBOOT', REBOOT_STARTED: 'REBOOT'}
_HARD_REBOOT = {REBOOTING_HARD: 'HARD_REBOOT', REBOOT_PENDING_HARD: 'HARD_REBOOT',
                REBOOT_STARTED_HARD: 'HARD_REBOOT'}
_REBUILD = {REBUILDING: 'REBUILD', REBUILD_BLOCK_DEVICE_MAPPING: 'REBUILD', REBUILD_SPAWNING: 'REBUILD'}
_RESIZE = {RESIZE_PREP: 'RESIZE', RESIZE_MIGRATING: 'RESIZE', RESIZE_MIGRATED: 'RESIZE',
           RESIZE_FINISH: 'RESIZE'}

# vm_state -> {task_state or 'default': status}
STATE_MAP = {
    ACTIVE: {'default': 'ACTIVE', **_REBOOT, **_HARD_REBOOT, UPDATING_PASSWORD: 'PASSWORD', **_REBUILD,
             MIGRATING: 'MIGRATING', **_RESIZE},
    BUILDING: {'default': 'BUILD'},
    STOPPED: {'default': 'SHUTOFF', **_RESIZE, **_REBUILD},
    RESIZED: {'default': 'VERIFY_RESIZE', RESIZE_REVERTING: 'REVERT_RESIZE'},
    PAUSED: {'default': 'PAUSED', MIGRATING: 'MIGRATING'},
    SUSPENDED: {'default': 'SUSPENDED'},
    RESCUED: {'default': 'RESCUE'},
    ERROR: {'default': 'ERROR', **_REBUILD},
    DELETED: {'default': 'DELETED'},
    SOFT_DELETED: {'default': 'SOFT_DELETED'},
    SHELVED: {'default': 'SHELVED'},
    SHELVED_OFFLOADED: {'default': 'SHELVED_OFFLOADED'},
}

# Servers in these statuses show their progress (nova's views/servers.py).
PROGRESS_STATUSES = frozenset(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING'])
# Servers in these statuses show their latest fault.
FAULT_STATUSES = frozenset(['ERROR', 'DELETED'])


def status(vm_state, task_state, deleted=False):
    """The public status of a server."""
    if deleted:
        return 'DELETED'
    by_task = STATE_MAP.get(vm_state)
    if by_task is None:
        return 'UNKNOWN'
    return by_task.get(task_state, by_task['default'])


def states_for_status(wanted):
    """The inverse of the map for a ?status= filter: {vm_state: task states or None (any)}.

    `wanted` is one status or several (case-insensitive). A vm_state whose default status is
    wanted matches whatever its task state, except the task states that map elsewhere; an
    empty result means no server can have that status.
    """
    wanted = {s.upper() for s in ([wanted] if isinstance(wanted, str) else wanted)}
    result = {}
    for vm_state, by_task in STATE_MAP.items():
        overrides = {task for task in by_task if task != 'default'}
        if by_task['default'] in wanted:
            # Every task state except those whose own status is not wanted.
            excluded = {task for task in overrides if by_task[task] not in wanted}
            result[vm_state] = ('all_but', frozenset(excluded))
        else:
            tasks = frozenset(task for task in overrides if by_task[task] in wanted)
            if tasks:
                result[vm_state] = ('only', tasks)
    return result


# == Allowed states per action =================================================================

# Which states each action accepts (catalogue §6.3: nova's check_instance_lock and
# check_instance_state decorators, as of today's nova). Keys are the action names nova puts in its
# 409 messages ("Cannot 'reboot' instance <uuid> while it is in vm_state stopped"); a reboot has
# one row per type. None means any state; IDLE means no task in flight. A locked server refuses
# every action with lock_check to a caller who is not an administrator, whoever locked it.
#
# How a failed driver operation ends (nova's compute manager, per action; the fault is recorded
# in every case):
#   changePassword  ERROR (set_admin_password errors the instance out; a driver without the
#                   feature is a 501 and the server goes back to ACTIVE)
#   reboot          ACTIVE when the guest still runs afterwards, else ERROR
#   rebuild         ERROR
#   resize          ERROR, still on the old flavor
#   confirmResize   ERROR
#   revertResize    ERROR
#   createImage     the server goes back to its state before (reverts_task_state); the image is
#                   left "killed" (nova deletes it)
#   os-start/os-stop the server goes back to its state before (reverts_task_state)
#   pause/unpause/suspend, unrescue  the same (reverts_task_state)
#   resume, rescue  ERROR (_error_out_instance_on_exception, InstanceNotRescuable)
#   shelve, shelveOffload, unshelve  back to the state before (the shelved image is left "killed")
IDLE = frozenset([None])


class ActionStates:
    """What one action requires of a server."""

    __slots__ = ('vm_states', 'task_states', 'must_have_launched', 'lock_check', 'needs_host')

    def __init__(self, vm_states, task_states=IDLE, must_have_launched=True, lock_check=True, needs_host=False):
        self.vm_states = frozenset(vm_states) if vm_states is not None else None
        self.task_states = frozenset(task_states) if task_states is not None else None
        self.must_have_launched = must_have_launched
        self.lock_check = lock_check
        self.needs_host = needs_host  # nova's check_instance_host


# nova's task_states.ALLOW_REBOOT: a hard reboot may interrupt these.
_ALLOW_HARD_REBOOT_TASKS = (None, REBOOTING, REBOOT_PENDING, REBOOT_STARTED, REBOOTING_HARD, RESUMING,
                            UNPAUSING, PAUSING, SUSPENDING)

ACTION_STATES = {
    'changePassword': ActionStates([ACTIVE]),
    'reboot:SOFT': ActionStates([ACTIVE]),
    'reboot:HARD': ActionStates([ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR], _ALLOW_HARD_REBOOT_TASKS),
    'rebuild': ActionStates([ACTIVE, STOPPED, ERROR]),
    'resize': ActionStates([ACTIVE, STOPPED]),
    'confirmResize': ActionStates([RESIZED]),
    'revertResize': ActionStates([RESIZED]),
    'createImage': ActionStates([ACTIVE, STOPPED, PAUSED, SUSPENDED], lock_check=False),
    'stop': ActionStates([ACTIVE, ERROR], needs_host=True),
    'start': ActionStates([STOPPED], needs_host=True),
    'lock': ActionStates(None, None, must_have_launched=False, lock_check=False),
    'unlock': ActionStates(None, None, must_have_launched=False, lock_check=False),
    'pause': ActionStates([ACTIVE]),
    'unpause': ActionStates([PAUSED]),
    'suspend': ActionStates([ACTIVE]),
    'resume': ActionStates([SUSPENDED]),
    'rescue': ActionStates([ACTIVE, STOPPED, ERROR]),
    'unrescue': ActionStates([RESCUED]),
    'createBackup': ActionStates([ACTIVE, STOPPED, PAUSED, SUSPENDED], lock_check=False),
    'migrate': ActionStates([ACTIVE, STOPPED]),
    'os-migrateLive': ActionStates([ACTIVE, PAUSED]),
    'forceDelete': ActionStates(None, must_have_launched=False),
    'restore': ActionStates([SOFT_DELETED]),
    'shelve': ActionStates([ACTIVE, STOPPED, PAUSED, SUSPENDED]),
    'shelveOffload': ActionStates([SHELVED]),
    'unshelve': ActionStates([SHELVED, SHELVED_OFFLOADED]),
    'update metadata': ActionStates([ACTIVE, PAUSED, SUSPENDED, STOPPED], None),
    'delete metadata': ActionStates([ACTIVE, PAUSED, SUSPENDED, STOPPED], None),
}


def check_action(action, instance, is_admin):
    """Raise InstanceIsLocked or InstanceInvalidState (409) unless `instance` accepts `action`.

    `instance` is a mapping with uuid, vm_state, task_state, launched_at, locked and host. The
    checks run in nova's order: lock, host (InstanceNotReady, 409), vm_state, task_state, launched_at.
    """
    rule = ACTION_STATES[action]
    name = action.split(':')[0]
    uuid = instance['uuid']
    if rule.lock_check and instance['locked'] and not is_admin:
        raise exception.InstanceIsLocked(instance_id=uuid)
    if rule.needs_host and not instance['host']:
        raise exception.InstanceNotReady(instance_id=uuid)
    if rule.vm_states is not None and instance['vm_state'] not in rule.vm_states:
        raise exception.InstanceInvalidState(action=name, instance_id=uuid, attr='vm_state',
                                             state=instance['vm_state'])
    if rule.task_states is not None and instance['task_state'] not in rule.task_states:
        raise exception.InstanceInvalidState(action=name, instance_id=uuid, attr='task_state',
                                             state=instance['task_state'])
    if rule.must_have_launched and not instance['launched_at']:
        # nova's API words a state it cannot name (launched_at None) this way.
        raise exception.InstanceInvalidState("Instance %s is in an invalid state for '%s'" % (uuid, name))
