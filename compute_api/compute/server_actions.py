"""Server actions (POST /servers/{id}/action): nova's compute API for a running server.

An action is accepted in one transaction: the server row is read (locked where the database can),
checked against the state table (states.check_action: lock, vm_state, task_state, launched_at)
and moved to the action's task_state by a compare-and-swap on the vm_state and task_state just
read. The driver work then runs on the task runner and ends with another compare-and-swap from
that task_state, so whoever changed the server meanwhile (a DELETE, os-resetState) wins and the
task's result is dropped. A failing driver records a fault and leaves the server as nova's
compute manager does (states.py lists the outcome per action).
"""
import dataclasses
import json
import logging
import re
import uuid as uuid_mod

from compute_api import exception
from compute_api.compute import images as compute_images
from compute_api.compute import quotas
from compute_api.compute import servers
from compute_api.compute import states
from compute_api.db import flavors as db_flavors
from compute_api.db import instance_actions as db_actions
from compute_api.db import images as db_images
from compute_api.db import instances as db
from compute_api.db import migration_records as db_migrations
from compute_api.db import server_metadata as db_metadata
from compute_api.db.store import utcnow
from compute_api.virt import power_state

LOG = logging.getLogger(__name__)

# What a failed driver operation does to the server (the fault is recorded in every case).
TO_ERROR = 'error'            # vm_state error
REVERT = 'revert'             # back to idle in the vm_state it had
ERROR_UNLESS_RUNNING = 'reboot'  # idle if the guest still runs, else error

FLAVOR_COLUMNS = {'flavorid': 'flavor_id', 'memory_mb': 'memory_mb', 'vcpus': 'vcpus', 'root_gb': 'root_gb',
                  'ephemeral_gb': 'ephemeral_gb', 'swap': 'swap'}
# Console output: control characters nova removes (all but tab, newline and carriage return).
_CONTROL_CHARACTERS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f]')


# -- accepting an action -----------------------------------------------------------------------

def _begin(services, context, instance, action, task_state, values=None, check=None):
    """Check `action` against the server as it is now and move it to `task_state` (plus `values`)
    in one transaction; `check(conn, row)` runs in it too. Returns the row as it was."""
    uuid = instance['uuid']
    with services.store.write() as conn:
        row = db.get(conn, uuid, for_update=True)
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        states.check_action(action, row, context.is_admin)
        if check is not None:
            check(conn, row)
        now = utcnow()
        changes = dict(values or {}, task_state=task_state, updated_at=now)
        if not db.compare_and_swap(conn, uuid, row['task_state'], changes, expected_vm_state=row['vm_state']):
            raise exception.InstanceInvalidState(action=action.split(':')[0], instance_id=uuid,
                                                 attr='task_state', state=row['task_state'])
        db_actions.start(conn, context, [uuid], action.split(':')[0], now)
    return row


def _load(services, uuid, task_state):
    """(row, driver instance) of a server still in `task_state`, or (None, None)."""
    with services.store.read() as conn:
        row = db.get(conn, uuid)
        if row is None or row['task_state'] != task_state:
            return None, None
        metadata = db_metadata.get(conn, uuid)
    return row, servers.driver_instance(row, metadata)


def _finish(services, uuid, task_state, values, action, migration=None, delete_image=None):
    """The task's last write, closing instance action `action` (and moving the server's migration
    from one status to another, deleting image `delete_image`); nothing when the server left
    `task_state` meanwhile."""
    now = utcnow()
    with services.store.write() as conn:
        if db.compare_and_swap(conn, uuid, task_state, dict(values, task_state=None, updated_at=now)):
            db_actions.finish(conn, uuid, action, now)
            if migration is not None:
                db_migrations.advance(conn, uuid, [migration[0]], migration[1], now)
            if delete_image is not None:
                db_images.soft_delete(conn, delete_image)


def _failed(services, target, task_state, exc, on_failure, action):
    LOG.warning('Server %s: %s failed: %s', target['uuid'], task_state, type(exc).__name__)
    values = {'task_state': None, 'updated_at': utcnow()}
    if on_failure == TO_ERROR:
        values['vm_state'] = states.ERROR
    elif on_failure == ERROR_UNLESS_RUNNING:
        try:
            current = services.driver.get_power_state(target)
        except Exception:
            current = power_state.NOSTATE
        values['power_state'] = current
        if current != power_state.RUNNING:
            values['vm_state'] = states.ERROR
    with services.store.write() as conn:
        if db.compare_and_swap(conn, target['uuid'], task_state, values):
            servers.record_fault(conn, target['uuid'], exc, values['updated_at'])
            db_actions.finish(conn, target['uuid'], action, values['updated_at'], failed=True)


def _run(services, uuid, task_state, work, on_failure, action):
    """On the task runner: `work(row, target)` does the driver calls and returns the columns to
    set; the server then leaves `task_state` with the driver's power state."""
    row, target = _load(services, uuid, task_state)
    if row is None:
        return
    try:
        values = work(row, target)
        values['power_state'] = services.driver.get_power_state(target)
    except Exception as exc:
        _failed(services, target, task_state, exc, on_failure, action)
        return
    _finish(services, uuid, task_state, values, action)


def _driver_action(services, context, instance, action, task_state, work, on_failure):
    _begin(services, context, instance, action, task_state)
    services.tasks.submit(_run, services, instance['uuid'], task_state, work, on_failure, action.split(':')[0])


# -- power -------------------------------------------------------------------------------------

def reboot(services, context, instance, reboot_type):
    """reboot_type SOFT or HARD (a hard reboot also brings back a stopped, paused or suspended
    server, and may interrupt a reboot in flight)."""
    task_state = states.REBOOTING_HARD if reboot_type == 'HARD' else states.REBOOTING

    def work(row, target):
        services.driver.reboot(target, reboot_type)
        return {'vm_state': states.ACTIVE}
    _driver_action(services, context, instance, 'reboot:' + reboot_type, task_state, work, ERROR_UNLESS_RUNNING)


def stop(services, context, instance):

    def work(row, target):
        services.driver.power_off(target)
        return {'vm_state': states.STOPPED}
    _driver_action(services, context, instance, 'stop', states.POWERING_OFF, work, REVERT)


def start(services, context, instance):

    def work(row, target):
        services.driver.power_on(target)
        return {'vm_state': states.ACTIVE}
    _driver_action(services, context, instance, 'start', states.POWERING_ON, work, REVERT)


def _simple(action, task_state, operation, vm_state, on_failure):
    """An action that is one driver call taking the server to `vm_state`."""
    def perform(services, context, instance):
        def work(row, target):
            getattr(services.driver, operation)(target)
            return {'vm_state': vm_state}
        _driver_action(services, context, instance, action, task_state, work, on_failure)
    perform.__name__ = operation
    perform.__doc__ = '%s: %s -> %s.' % (action, task_state, vm_state)
    return perform


pause = _simple('pause', states.PAUSING, 'pause', states.PAUSED, REVERT)
unpause = _simple('unpause', states.UNPAUSING, 'unpause', states.ACTIVE, REVERT)
suspend = _simple('suspend', states.SUSPENDING, 'suspend', states.SUSPENDED, REVERT)
resume = _simple('resume', states.RESUMING, 'resume', states.ACTIVE, TO_ERROR)
unrescue = _simple('unrescue', states.UNRESCUING, 'unrescue', states.ACTIVE, REVERT)


# -- lock --------------------------------------------------------------------------------------

def _locker(context, instance):
    """nova's locked_by: 'owner' when the caller is of the server's project, else 'admin'."""
    return 'owner' if context.project_id == instance['project_id'] else 'admin'


def locked_by_someone_else(context, instance):
    """Whether unlocking needs os-lock-server:unlock:unlock_override (the lock was taken by the
    other kind of caller: an admin's lock held against the owner, or the reverse)."""
    return bool(instance['locked_by']) and instance['locked_by'] != _locker(context, instance)


def lock(services, context, instance):
    _set_lock(services, context, instance, 'lock', {'locked': True, 'locked_by': _locker(context, instance)})


def unlock(services, context, instance):
    _set_lock(services, context, instance, 'unlock', {'locked': False, 'locked_by': None})


def _set_lock(services, context, instance, action, values):
    now = utcnow()
    with services.store.write() as conn:
        if not db.update(conn, instance['uuid'], dict(values, updated_at=now)):
            raise exception.InstanceNotFound(instance_id=instance['uuid'])
        db_actions.start(conn, context, [instance['uuid']], action, now)
        db_actions.finish(conn, instance['uuid'], action, now)


# -- password ----------------------------------------------------------------------------------

def change_password(services, context, instance, password):
    def work(row, target):
        services.driver.set_admin_password(target, password)
        return {}
    _driver_action(services, context, instance, 'changePassword', states.UPDATING_PASSWORD, work, TO_ERROR)


# -- resize ------------------------------------------------------------------------------------

def _flavor_values(flavor):
    """The instance columns a flavor sets."""
    return {column: flavor[key] for key, column in FLAVOR_COLUMNS.items()}


def _flavor_of(instance):
    """The server's current flavor, as stored in old_flavor/new_flavor."""
    return {key: instance[column] for key, column in FLAVOR_COLUMNS.items()}


def resize(services, context, instance, flavor_ref, auto_disk_config=None):
    """To flavor `flavor_ref`: resize_prep -> resize_migrating -> driver.resize -> resized
    (VERIFY_RESIZE) on the new flavor, the old one kept for a revert. A stopped server stays off."""
    with services.store.read() as conn:
        flavor = db_flavors.get_by_flavorid(conn, flavor_ref, context.project_id, context.is_admin)
    if flavor is None or flavor['disabled']:
        raise exception.ResizeFlavorNotFound()
    if flavor['flavorid'] == instance['flavor_id']:
        raise exception.CannotResizeToSameFlavor()
    if not flavor['root_gb'] and instance['root_gb'] and instance['image_ref']:
        raise exception.CannotResizeDisk(reason='Resize to zero disk flavor is not allowed.')
    new = _flavor_values(flavor)

    def check_quota(conn, row):
        # Only the growth counts (nova's upsize_quota_delta), against the server's project.
        cores = max(flavor['vcpus'] - row['vcpus'], 0)
        ram = max(flavor['memory_mb'] - row['memory_mb'], 0)
        if cores or ram:
            quotas.check_server_create(conn, services.conf, _Owner(row['project_id']), 0, cores, ram)
        old = db_flavors.get_by_flavorid(conn, row['flavor_id'])
        db_migrations.start(conn, row['uuid'], row['host'], row['node'], old['id'] if old else None, flavor['id'],
                            utcnow())

    values = {'new_flavor': json.dumps(_flavor_values_doc(flavor)), 'progress': 0}
    if auto_disk_config is not None:
        values['auto_disk_config'] = auto_disk_config
    _begin(services, context, instance, 'resize', states.RESIZE_PREP, values, check=check_quota)
    services.tasks.submit(_resize, services, instance['uuid'], new)


@dataclasses.dataclass
class _Owner:
    """The quota check's view of who pays: the server's project, whoever resizes it."""
    project_id: str


def _flavor_values_doc(flavor):
    return {key: flavor[key] for key in FLAVOR_COLUMNS}


def _resize(services, uuid, new):
    with services.store.write() as conn:
        if not db.compare_and_swap(conn, uuid, states.RESIZE_PREP, {'task_state': states.RESIZE_MIGRATING}):
            return
        db_migrations.advance(conn, uuid, ['pre-migrating'], 'migrating', utcnow())
    row, target = _load(services, uuid, states.RESIZE_MIGRATING)
    if row is None:
        return
    try:
        services.driver.resize(target, {key: new[column] for key, column in FLAVOR_COLUMNS.items()})
        if row['vm_state'] == states.STOPPED:
            services.driver.power_off(target)
        current = services.driver.get_power_state(target)
    except Exception as exc:
        _failed(services, target, states.RESIZE_MIGRATING, exc, TO_ERROR, 'resize')
        with services.store.write() as conn:
            db.compare_and_swap(conn, uuid, None, {'new_flavor': None}, expected_vm_state=states.ERROR)
            db_migrations.advance(conn, uuid, ['migrating'], 'error', utcnow())
        return
    _finish(services, uuid, states.RESIZE_MIGRATING, dict(
        new, vm_state=states.RESIZED, power_state=current, progress=100, new_flavor=None,
        old_flavor=json.dumps(_flavor_of(row))), 'resize', migration=('migrating', 'finished'))


def confirm_resize(services, context, instance):
    """Keep the new flavor: the server is active again (stopped if it is off). No driver work:
    the old flavor's resources were never held apart."""
    uuid = instance['uuid']
    with services.store.write() as conn:
        row = db.get(conn, uuid, for_update=True)
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        states.check_action('confirmResize', row, context.is_admin)
        vm_state = states.STOPPED if row['power_state'] == power_state.SHUTDOWN else states.ACTIVE
        now = utcnow()
        if not db.compare_and_swap(conn, uuid, None, {'vm_state': vm_state, 'old_flavor': None, 'updated_at': now},
                                   expected_vm_state=states.RESIZED):
            raise exception.InstanceInvalidState(action='confirmResize', instance_id=uuid, attr='task_state',
                                                 state=row['task_state'])
        db_actions.start(conn, context, [uuid], 'confirmResize', now)
        db_actions.finish(conn, uuid, 'confirmResize', now)
        db_migrations.advance(conn, uuid, ['finished'], 'confirmed', now)


def revert_resize(services, context, instance):
    """Back to the old flavor: resize_reverting (REVERT_RESIZE) -> driver.resize -> active, or
    stopped when it was off."""
    def check_old_flavor(conn, row):
        if not row['old_flavor']:
            raise exception.InstanceNotResized()
        db_migrations.advance(conn, row['uuid'], ['finished'], 'reverting', utcnow())
    row = _begin(services, context, instance, 'revertResize', states.RESIZE_REVERTING, check=check_old_flavor)
    services.tasks.submit(_revert_resize, services, row['uuid'], json.loads(row['old_flavor']),
                          row['power_state'] == power_state.SHUTDOWN)


def _revert_resize(services, uuid, old, stopped):
    row, target = _load(services, uuid, states.RESIZE_REVERTING)
    if row is None:
        return
    try:
        services.driver.resize(target, old)
        if stopped:
            services.driver.power_off(target)
        current = services.driver.get_power_state(target)
    except Exception as exc:
        _failed(services, target, states.RESIZE_REVERTING, exc, TO_ERROR, 'revertResize')
        with services.store.write() as conn:
            db_migrations.advance(conn, uuid, ['reverting'], 'error', utcnow())
        return
    _finish(services, uuid, states.RESIZE_REVERTING, dict(
        _flavor_values(old), vm_state=states.STOPPED if stopped else states.ACTIVE, power_state=current,
        old_flavor=None), 'revertResize', migration=('reverting', 'reverted'))


# -- rebuild -----------------------------------------------------------------------------------

@dataclasses.dataclass
class RebuildRequest:
    """A validated rebuild body, in domain terms (None: keep what the server has)."""
    image_ref: str
    name: str = None
    admin_password: str = None
    metadata: dict = None
    personality: list = dataclasses.field(default_factory=list)  # [(path, decoded bytes)]
    access_ip_v4: str = None
    access_ip_v6: str = None
    auto_disk_config: bool = None
    preserve_ephemeral: bool = False


def rebuild(services, context, instance, request):
    """Re-create the server from `request.image_ref`: rebuilding (REBUILD) -> driver.rebuild ->
    active (stopped again if it was stopped). Returns (server, admin password)."""
    with services.store.read() as conn:
        image = db_images.get(conn, request.image_ref, context.project_id, context.is_admin)
        if image is None:
            raise exception.RebuildImageNotFound()
        limits = quotas.limits_for(conn, services.conf, instance['project_id'])
    if image['status'] != 'active':
        raise exception.ImageNotActive(image_id=image['id'])
    _check_image_fits(image, instance)
    if request.metadata is not None:
        servers.check_metadata(request.metadata, limits['metadata_items'])
    servers.check_personality(request.personality, limits)
    password = request.admin_password
    if password is None:
        password = servers.generate_password(services.conf.password_length)

    values = {'image_ref': image['id'], 'progress': 0}
    if services.conf.force_config_drive:
        values['config_drive'] = 'True'  # the rebuilt guest gets one (nova's configdrive.update_instance)
    for column, value in (('display_name', request.name), ('access_ip_v4', request.access_ip_v4),
                          ('access_ip_v6', request.access_ip_v6), ('auto_disk_config', request.auto_disk_config)):
        if value is not None:
            values[column] = value

    def replace_metadata(conn, row):
        if request.metadata is not None:
            db_metadata.write(conn, row['uuid'], request.metadata, replace=True)
    _begin(services, context, instance, 'rebuild', states.REBUILDING, values, check=replace_metadata)
    # The answer shows the rebuild as accepted, whatever its task reaches first.
    server = servers.get_server(services.store, context, instance['uuid'])
    services.tasks.submit(_rebuild, services, instance['uuid'], password, list(request.personality))
    return server, password


def _check_image_fits(image, instance):
    if image['min_ram'] and instance['memory_mb'] < image['min_ram']:
        raise exception.FlavorMemoryTooSmall()
    if instance['root_gb'] and image['min_disk'] and instance['root_gb'] < image['min_disk']:
        raise exception.FlavorDiskTooSmall()


def _rebuild(services, uuid, password, injected_files):
    def work(row, target):
        image = _image_with_properties(services, row['image_ref'])
        services.driver.rebuild(target, image, _guest(services, row, password, injected_files))
        if row['vm_state'] == states.STOPPED:
            services.driver.power_off(target)
            return {'vm_state': states.STOPPED, 'progress': 100}
        return {'vm_state': states.ACTIVE, 'progress': 100, 'launched_at': utcnow()}
    _run(services, uuid, states.REBUILDING, work, TO_ERROR, 'rebuild')


def _guest(services, row, admin_password=None, injected_files=()):
    """servers.guest_config() of the server `row`, its addresses read (on the task runner)."""
    with services.store.read() as conn:
        addresses = db.addresses(conn, row['uuid'])
    return servers.guest_config(services.conf, row, addresses, admin_password, injected_files)


def _image_with_properties(services, image_id):
    """The image row with its properties, as drivers take it; None when it is gone."""
    if not image_id:
        return None
    with services.store.read() as conn:
        return db_images.get_with_properties(conn, image_id)


# -- snapshots ---------------------------------------------------------------------------------

def create_image(services, context, instance, name, metadata):
    """Snapshot the server into a new private image: the image is SAVING and the server in
    image_snapshot at once; driver.snapshot then makes the image ACTIVE with its size (ERROR if
    the driver fails) and the server idle again. Returns the image id."""
    if not services.conf.allow_instance_snapshots:
        raise exception.SnapshotsDisabled()
    return _snapshot(services, context, instance, 'createImage', states.IMAGE_SNAPSHOT, name, metadata)


def _snapshot(services, context, instance, action, task_state, name, metadata, backup_type=None, rotation=None):
    created = {}

    def register_image(conn, row):
        compute_images.check_metadata_quota(conn, services.conf, context, metadata)
        base = db_images.get(conn, row['image_ref']) if row['image_ref'] else None
        image = compute_images.create_snapshot(
            conn, context, row['uuid'], name, metadata, row['root_gb'], base['min_ram'] if base else 0,
            image_type='snapshot' if backup_type is None else 'backup', backup_type=backup_type)
        created['id'] = image['id']

    _begin(services, context, instance, action, task_state, check=register_image)
    services.tasks.submit(_upload_snapshot, services, instance['uuid'], action, task_state, created['id'], rotation)
    return created['id']


def _upload_snapshot(services, uuid, action, task_state, image_id, rotation):
    row, target = _load(services, uuid, task_state)
    with services.store.write() as conn:
        uploading = row is not None and db.compare_and_swap(conn, uuid, task_state,
                                                            {'task_state': states.IMAGE_UPLOADING})
        compute_images.finish_snapshot(conn, image_id, 'SAVING' if uploading else 'ERROR', None)
    if not uploading:
        return
    try:
        size = services.driver.snapshot(target, image_id)
    except Exception as exc:
        with services.store.write() as conn:
            compute_images.finish_snapshot(conn, image_id, 'ERROR', None)
        _failed(services, target, states.IMAGE_UPLOADING, exc, REVERT, action)
        return
    with services.store.write() as conn:
        compute_images.finish_snapshot(conn, image_id, 'ACTIVE', size)
        if rotation is not None:
            _rotate_backups(conn, row, *rotation)
    _finish(services, uuid, states.IMAGE_UPLOADING, {}, action)


def _rotate_backups(conn, instance, backup_type, rotation):
    """Keep the server's `rotation` newest backups of `backup_type` (nova's _rotate_backups):
    images of the server's project only, whatever another project's images claim."""
    backups = db_images.list_images(conn, instance['project_id'], False, {
        'owner': instance['project_id'],
        'property': {compute_images.INSTANCE_UUID: [instance['uuid']], compute_images.IMAGE_TYPE: ['backup'],
                     compute_images.BACKUP_TYPE: [backup_type]}})
    for old in backups[rotation:]:
        db_images.soft_delete(conn, old['id'])


def create_backup(services, context, instance, name, backup_type, rotation, metadata):
    """A snapshot kept as one of the server's `rotation` latest backups of `backup_type`: older
    ones are deleted once it is taken. Returns the image id."""
    return _snapshot(services, context, instance, 'createBackup', states.IMAGE_BACKUP, name, metadata,
                     backup_type=backup_type, rotation=(backup_type, rotation))


# -- rescue ------------------------------------------------------------------------------------

def rescue(services, context, instance, password=None, image_ref=None):
    """Boot the server from a rescue image (its own image unless `image_ref`), its disk
    attached: rescuing -> rescued (RESCUE). Returns the rescue password."""
    if image_ref is not None:
        with services.store.read() as conn:
            image = db_images.get(conn, image_ref, context.project_id, context.is_admin)
        if image is None:
            raise exception.ImageNotFound()
        if image['status'] != 'active':
            raise exception.ImageNotActive(image_id=image_ref)
    if password is None:
        password = servers.generate_password(services.conf.password_length)

    def work(row, target):
        services.driver.rescue(target, _image_with_properties(services, image_ref or row['image_ref']), password)
        return {'vm_state': states.RESCUED}
    _driver_action(services, context, instance, 'rescue', states.RESCUING, work, TO_ERROR)
    return password


# -- console -----------------------------------------------------------------------------------

def console_output(services, instance, length=None):
    """The last `length` lines of the serial console log (all of it when None or -1), without
    control characters. A read: it does not change the server, so it runs in the request."""
    target = servers.hosted_driver_instance(services.store, instance)
    try:
        output = services.driver.get_console_output(target)
    except NotImplementedError:
        raise exception.NotImplementedYet('Action not supported by this hypervisor.') from None
    except Exception:
        LOG.exception('Server %s: reading the console failed', instance['uuid'])
        raise exception.ConsoleNotAvailable() from None
    if length is not None and length != -1:
        output = '\n'.join(output.split('\n')[-length:]) if length else ''
    return _CONTROL_CHARACTERS.sub('', output)


# -- administration ----------------------------------------------------------------------------

def reset_state(services, instance, vm_state):
    """os-resetState: force vm_state (active or error) and clear the task; a task in flight finds
    its server moved on and drops its result."""
    with services.store.write() as conn:
        if not db.update(conn, instance['uuid'], {'vm_state': vm_state, 'task_state': None,
                                                  'updated_at': utcnow()}):
            raise exception.InstanceNotFound(instance_id=instance['uuid'])


def inject_network_info(services, instance):
    """Nothing to push: the drivers configure the guest's network when they start it; nova's
    check that the server has reached a host (409 not ready) stays."""
    if not instance['host']:
        raise exception.InstanceNotReady(instance_id=instance['uuid'])


def migrate(services, context, instance):
    """Cold migration: this deployment is one compute host, and a server never migrates to its
    own host, so the scheduler finds no host (nova's 400)."""
    _check_migratable(services, context, instance, 'migrate')
    raise exception.NoValidHost()


def live_migrate(services, context, instance, host):
    """Live migration to `host` (None: the scheduler's choice); see migrate()."""
    _check_migratable(services, context, instance, 'os-migrateLive')
    if host is None:
        raise exception.NoValidHost()
    if host != services.conf.host:
        raise exception.ComputeHostNotFound(host=host)
    raise exception.UnableToMigrateToSelf(instance_id=instance['uuid'], host=host)


def _check_migratable(services, context, instance, action):
    with services.store.read() as conn:
        row = db.get(conn, instance['uuid'])
    if row is None:
        raise exception.InstanceNotFound(instance_id=instance['uuid'])
    states.check_action(action, row, context.is_admin)


# -- deferred delete ---------------------------------------------------------------------------

def force_delete(services, context, instance):
    """With reclaim_instance_interval 0 (servers are never soft-deleted) this is a delete of an
    idle server."""
    states.check_action('forceDelete', instance, context.is_admin)
    servers.delete(services, context, instance)


def restore(services, context, instance):
    """Only a soft-deleted server can be restored, and none ever is here: the state check
    answers nova's 409."""
    states.check_action('restore', instance, context.is_admin)


# -- instance actions --------------------------------------------------------------------------

def list_actions(store, instance):
    with store.read() as conn:
        return db_actions.list_for(conn, instance['uuid'])


def get_action(store, instance, request_id):
    with store.read() as conn:
        action = db_actions.get(conn, instance['uuid'], request_id)
    if action is None:
        raise exception.InstanceActionNotFound(request_id=request_id, instance_uuid=instance['uuid'])
    return action


# -- shelve ------------------------------------------------------------------------------------

def shelve(services, context, instance):
    """Snapshot the server into "<name>-shelved", stop it and free the hypervisor of it: shelving
    -> shelved -> shelved_offloaded (nova with shelved_offload_time 0, its default). The server
    records the snapshot's id (nova's shelved_image_id): that image, and no other of the same
    name, is what unshelve boots."""
    image_id = str(uuid_mod.uuid4())

    def register_image(conn, row):
        compute_images.create_snapshot(conn, context, row['uuid'], '%s-shelved' % row['display_name'], {},
                                       row['root_gb'], 0, image_id=image_id)
    _begin(services, context, instance, 'shelve', states.SHELVING, {'shelved_image_id': image_id},
           check=register_image)
    services.tasks.submit(_shelve, services, instance['uuid'], image_id)


def _shelve(services, uuid, image_id):
    row, target = _load(services, uuid, states.SHELVING)
    with services.store.write() as conn:
        uploading = row is not None and db.compare_and_swap(conn, uuid, states.SHELVING,
                                                            {'task_state': states.SHELVING_IMAGE_UPLOADING})
        compute_images.finish_snapshot(conn, image_id, 'SAVING' if uploading else 'ERROR', None)
    if not uploading:
        return
    try:
        services.driver.power_off(target)
        size = services.driver.snapshot(target, image_id)
    except Exception as exc:
        with services.store.write() as conn:
            compute_images.finish_snapshot(conn, image_id, 'ERROR', None)
            db.compare_and_swap(conn, uuid, states.SHELVING_IMAGE_UPLOADING, {'shelved_image_id': None})
        _failed(services, target, states.SHELVING_IMAGE_UPLOADING, exc, REVERT, 'shelve')
        return
    with services.store.write() as conn:
        compute_images.finish_snapshot(conn, image_id, 'ACTIVE', size)
        shelved = db.compare_and_swap(conn, uuid, states.SHELVING_IMAGE_UPLOADING, {
            'vm_state': states.SHELVED, 'task_state': states.SHELVING_OFFLOADING,
            'power_state': power_state.SHUTDOWN, 'updated_at': utcnow()})
    if shelved:
        _offload(services, target, 'shelve')


def shelve_offload(services, context, instance):
    """Free the hypervisor of a shelved server (shelved -> shelved_offloaded)."""
    _begin(services, context, instance, 'shelveOffload', states.SHELVING_OFFLOADING)
    row, target = _load(services, instance['uuid'], states.SHELVING_OFFLOADING)
    if row is not None:
        services.tasks.submit(_offload, services, target, 'shelveOffload')


def _offload(services, target, action):
    try:
        services.driver.destroy(target)
    except Exception as exc:
        _failed(services, target, states.SHELVING_OFFLOADING, exc, REVERT, action)
        return
    _finish(services, target['uuid'], states.SHELVING_OFFLOADING, {
        'vm_state': states.SHELVED_OFFLOADED, 'power_state': power_state.NOSTATE, 'host': None, 'node': None},
        action)


def unshelve(services, context, instance):
    """Bring a shelved server back (unshelving -> active): spawned again from its shelved image
    when offloaded, else started; the shelved image is then deleted (nova deletes it either way)."""
    _begin(services, context, instance, 'unshelve', states.UNSHELVING)
    services.tasks.submit(_unshelve, services, instance['uuid'])


class ShelvedImageNotFound(exception.ComputeError):
    msg = 'Unshelve attempted but the image %(image_id)s cannot be found.'


def _unshelve(services, uuid):
    row, target = _load(services, uuid, states.UNSHELVING)
    if row is None:
        return
    shelved_image_id = row['shelved_image_id']
    try:
        if row['vm_state'] == states.SHELVED_OFFLOADED:
            # A server shelved before shelved_image_id existed has none: its own image, as nova
            # does for a volume-backed server.
            image = _image_with_properties(services, shelved_image_id or row['image_ref'])
            if image is None and shelved_image_id:
                raise ShelvedImageNotFound(image_id=shelved_image_id)
            services.driver.spawn(target, image, _guest(services, row))
        else:
            services.driver.power_on(target)
        current = services.driver.get_power_state(target)
    except ShelvedImageNotFound as exc:
        # nova's conductor puts the server in ERROR with this fault.
        _failed(services, target, states.UNSHELVING, exc, TO_ERROR, 'unshelve')
        return
    except Exception as exc:
        _failed(services, target, states.UNSHELVING, exc, REVERT, 'unshelve')
        return
    _finish(services, uuid, states.UNSHELVING, {
        'vm_state': states.ACTIVE, 'power_state': current, 'host': services.conf.host,
        'node': servers.node_name(services), 'shelved_image_id': None}, 'unshelve', delete_image=shelved_image_id)


# -- migrations --------------------------------------------------------------------------------

def list_migrations(store, filters):
    with store.read() as conn:
        return db_migrations.list_migrations(conn, filters)
