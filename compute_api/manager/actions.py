"""A compute host's part of the server actions: the driver work of an action the API accepted
(compute/server_actions.py moved the server to the action's task_state), ending with a
compare-and-swap from that task_state, so whoever changed the server meanwhile (a DELETE,
os-resetState) wins and the task's result is dropped. A failing driver records a fault and
leaves the server as nova's compute manager does (states.py lists the outcome per action).
"""
import json
import logging

from compute_api import exception
from compute_api.compute import images as compute_images
from compute_api.compute import servers
from compute_api.compute import states
from compute_api.compute.server_actions import FLAVOR_COLUMNS
from compute_api.compute.server_actions import flavor_of
from compute_api.compute.server_actions import flavor_values
from compute_api.db import images as db_images
from compute_api.db import instance_actions as db_actions
from compute_api.db import instances as db
from compute_api.db import migration_records as db_migrations
from compute_api.db import server_metadata as db_metadata
from compute_api.db.store import utcnow
from compute_api.manager.servers import guest_config
from compute_api.manager.servers import record_fault
from compute_api.virt import power_state

LOG = logging.getLogger(__name__)

# What a failed driver operation does to the server (the fault is recorded in every case).
TO_ERROR = 'error'            # vm_state error
REVERT = 'revert'             # back to idle in the vm_state it had
ERROR_UNLESS_RUNNING = 'reboot'  # idle if the guest still runs, else error


def load(host, uuid, task_state):
    """(row, driver instance) of a server still in `task_state`, or (None, None)."""
    with host.store.read() as conn:
        row = db.get(conn, uuid)
        if row is None or row['task_state'] != task_state:
            return None, None
        metadata = db_metadata.get(conn, uuid)
    return row, servers.driver_instance(row, metadata)


def _finish(host, uuid, task_state, values, action, migration=None, delete_image=None):
    """The task's last write, closing instance action `action` (and moving the server's migration
    from one status to another, deleting image `delete_image`); nothing when the server left
    `task_state` meanwhile."""
    now = utcnow()
    with host.store.write() as conn:
        if db.compare_and_swap(conn, uuid, task_state, dict(values, task_state=None, updated_at=now)):
            db_actions.finish(conn, uuid, action, now)
            if migration is not None:
                db_migrations.advance(conn, uuid, [migration[0]], migration[1], now)
            if delete_image is not None:
                db_images.soft_delete(conn, delete_image)


def _failed(host, target, task_state, exc, on_failure, action):
    LOG.warning('Server %s: %s failed: %s', target['uuid'], task_state, type(exc).__name__)
    values = {'task_state': None, 'updated_at': utcnow()}
    if on_failure == TO_ERROR:
        values['vm_state'] = states.ERROR
    elif on_failure == ERROR_UNLESS_RUNNING:
        try:
            current = host.driver.get_power_state(target)
        except Exception:
            current = power_state.NOSTATE
        values['power_state'] = current
        if current != power_state.RUNNING:
            values['vm_state'] = states.ERROR
    with host.store.write() as conn:
        if db.compare_and_swap(conn, target['uuid'], task_state, values):
            record_fault(conn, target['uuid'], exc, values['updated_at'])
            db_actions.finish(conn, target['uuid'], action, values['updated_at'], failed=True)


def run(host, uuid, task_state, work, on_failure, action):
    """On the task runner: `work(row, target)` does the driver calls and returns the columns to
    set; the server then leaves `task_state` with the driver's power state."""
    row, target = load(host, uuid, task_state)
    if row is None:
        return
    try:
        values = work(row, target)
        values['power_state'] = host.driver.get_power_state(target)
    except Exception as exc:
        _failed(host, target, task_state, exc, on_failure, action)
        return
    _finish(host, uuid, task_state, values, action)


def resize(host, uuid, new):
    with host.store.write() as conn:
        if not db.compare_and_swap(conn, uuid, states.RESIZE_PREP, {'task_state': states.RESIZE_MIGRATING}):
            return
        db_migrations.advance(conn, uuid, ['pre-migrating'], 'migrating', utcnow())
    row, target = load(host, uuid, states.RESIZE_MIGRATING)
    if row is None:
        return
    try:
        host.driver.resize(target, {key: new[column] for key, column in FLAVOR_COLUMNS.items()})
        if row['vm_state'] == states.STOPPED:
            host.driver.power_off(target)
        current = host.driver.get_power_state(target)
    except Exception as exc:
        _failed(host, target, states.RESIZE_MIGRATING, exc, TO_ERROR, 'resize')
        with host.store.write() as conn:
            db.compare_and_swap(conn, uuid, None, {'new_flavor': None}, expected_vm_state=states.ERROR)
            db_migrations.advance(conn, uuid, ['migrating'], 'error', utcnow())
        return
    _finish(host, uuid, states.RESIZE_MIGRATING, dict(
        new, vm_state=states.RESIZED, power_state=current, progress=100, new_flavor=None,
        old_flavor=json.dumps(flavor_of(row))), 'resize', migration=('migrating', 'finished'))


def revert_resize(host, uuid, old, stopped):
    row, target = load(host, uuid, states.RESIZE_REVERTING)
    if row is None:
        return
    try:
        host.driver.resize(target, old)
        if stopped:
            host.driver.power_off(target)
        current = host.driver.get_power_state(target)
    except Exception as exc:
        _failed(host, target, states.RESIZE_REVERTING, exc, TO_ERROR, 'revertResize')
        with host.store.write() as conn:
            db_migrations.advance(conn, uuid, ['reverting'], 'error', utcnow())
        return
    _finish(host, uuid, states.RESIZE_REVERTING, dict(
        flavor_values(old), vm_state=states.STOPPED if stopped else states.ACTIVE, power_state=current,
        old_flavor=None), 'revertResize', migration=('reverting', 'reverted'))


def rebuild(host, uuid, password, injected_files):
    def work(row, target):
        image = image_with_properties(host, row['image_ref'])
        host.driver.rebuild(target, image, _guest(host, row, password, injected_files))
        if row['vm_state'] == states.STOPPED:
            host.driver.power_off(target)
            return {'vm_state': states.STOPPED, 'progress': 100}
        return {'vm_state': states.ACTIVE, 'progress': 100, 'launched_at': utcnow()}
    run(host, uuid, states.REBUILDING, work, TO_ERROR, 'rebuild')


def _guest(host, row, admin_password=None, injected_files=()):
    """servers.guest_config() of the server `row`, its addresses read (on the task runner)."""
    with host.store.read() as conn:
        addresses = db.addresses(conn, row['uuid'])
    return guest_config(host.conf, row, addresses, admin_password, injected_files)


def image_with_properties(host, image_id):
    """The image row with its properties, as drivers take it; None when it is gone."""
    if not image_id:
        return None
    with host.store.read() as conn:
        return db_images.get_with_properties(conn, image_id)


def upload_snapshot(host, uuid, action, task_state, image_id, rotation):
    row, target = load(host, uuid, task_state)
    with host.store.write() as conn:
        uploading = row is not None and db.compare_and_swap(conn, uuid, task_state,
                                                            {'task_state': states.IMAGE_UPLOADING})
        compute_images.finish_snapshot(conn, image_id, 'SAVING' if uploading else 'ERROR', None)
    if not uploading:
        return
    try:
        size = host.driver.snapshot(target, image_id)
    except Exception as exc:
        with host.store.write() as conn:
            compute_images.finish_snapshot(conn, image_id, 'ERROR', None)
        _failed(host, target, states.IMAGE_UPLOADING, exc, REVERT, action)
        return
    with host.store.write() as conn:
        compute_images.finish_snapshot(conn, image_id, 'ACTIVE', size)
        if rotation is not None:
            _rotate_backups(conn, row, *rotation)
    _finish(host, uuid, states.IMAGE_UPLOADING, {}, action)


def _rotate_backups(conn, instance, backup_type, rotation):
    """Keep the server's `rotation` newest backups of `backup_type` (nova's _rotate_backups):
    images of the server's project only, whatever another project's images claim."""
    backups = db_images.list_images(conn, instance['project_id'], False, {
        'owner': instance['project_id'],
        'property': {compute_images.INSTANCE_UUID: [instance['uuid']], compute_images.IMAGE_TYPE: ['backup'],
                     compute_images.BACKUP_TYPE: [backup_type]}})
    for old in backups[rotation:]:
        db_images.soft_delete(conn, old['id'])


def shelve(host, uuid, image_id):
    row, target = load(host, uuid, states.SHELVING)
    with host.store.write() as conn:
        uploading = row is not None and db.compare_and_swap(conn, uuid, states.SHELVING,
                                                            {'task_state': states.SHELVING_IMAGE_UPLOADING})
        compute_images.finish_snapshot(conn, image_id, 'SAVING' if uploading else 'ERROR', None)
    if not uploading:
        return
    try:
        host.driver.power_off(target)
        size = host.driver.snapshot(target, image_id)
    except Exception as exc:
        with host.store.write() as conn:
            compute_images.finish_snapshot(conn, image_id, 'ERROR', None)
            db.compare_and_swap(conn, uuid, states.SHELVING_IMAGE_UPLOADING, {'shelved_image_id': None})
        _failed(host, target, states.SHELVING_IMAGE_UPLOADING, exc, REVERT, 'shelve')
        return
    with host.store.write() as conn:
        compute_images.finish_snapshot(conn, image_id, 'ACTIVE', size)
        shelved = db.compare_and_swap(conn, uuid, states.SHELVING_IMAGE_UPLOADING, {
            'vm_state': states.SHELVED, 'task_state': states.SHELVING_OFFLOADING,
            'power_state': power_state.SHUTDOWN, 'updated_at': utcnow()})
    if shelved:
        offload(host, target, 'shelve')


def offload(host, target, action):
    try:
        host.driver.destroy(target)
    except Exception as exc:
        _failed(host, target, states.SHELVING_OFFLOADING, exc, REVERT, action)
        return
    _finish(host, target['uuid'], states.SHELVING_OFFLOADING, {
        'vm_state': states.SHELVED_OFFLOADED, 'power_state': power_state.NOSTATE, 'host': None, 'node': None},
        action)


class ShelvedImageNotFound(exception.ComputeError):
    msg = 'Unshelve attempted but the image %(image_id)s cannot be found.'


def unshelve(host, uuid):
    row, target = load(host, uuid, states.UNSHELVING)
    if row is None:
        return
    shelved_image_id = row['shelved_image_id']
    try:
        if row['vm_state'] == states.SHELVED_OFFLOADED:
            # A server shelved before shelved_image_id existed has none: its own image, as nova
            # does for a volume-backed server.
            image = image_with_properties(host, shelved_image_id or row['image_ref'])
            if image is None and shelved_image_id:
                raise ShelvedImageNotFound(image_id=shelved_image_id)
            host.driver.spawn(target, image, _guest(host, row))
        else:
            host.driver.power_on(target)
        current = host.driver.get_power_state(target)
    except ShelvedImageNotFound as exc:
        # nova's conductor puts the server in ERROR with this fault.
        _failed(host, target, states.UNSHELVING, exc, TO_ERROR, 'unshelve')
        return
    except Exception as exc:
        _failed(host, target, states.UNSHELVING, exc, REVERT, 'unshelve')
        return
    _finish(host, uuid, states.UNSHELVING, {
        'vm_state': states.ACTIVE, 'power_state': current, 'host': host.name, 'node': host.node,
        'shelved_image_id': None}, 'unshelve', delete_image=shelved_image_id)
