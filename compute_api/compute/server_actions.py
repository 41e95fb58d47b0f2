"""Server actions (POST /servers/{id}/action): nova's compute API for a running server.

An action is accepted in one transaction: the server row is read (locked where the database can),
checked against the state table (states.check_action: lock, vm_state, task_state, launched_at)
and moved to the action's task_state by a compare-and-swap on the vm_state and task_state just
read. The driver work is then cast to the server's own host (rpc/api.py), whose manager ends it
with another compare-and-swap from that task_state (manager/actions.py).
"""
import dataclasses
import json
import uuid as uuid_mod

from compute_api import exception
from compute_api import scheduler
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
from compute_api.rpc.api import encode_files
from compute_api.virt import power_state

FLAVOR_COLUMNS = {'flavorid': 'flavor_id', 'memory_mb': 'memory_mb', 'vcpus': 'vcpus', 'root_gb': 'root_gb',
                  'ephemeral_gb': 'ephemeral_gb', 'swap': 'swap'}


# -- accepting an action -----------------------------------------------------------------------

def _begin(services, context, instance, action, task_state, values=None, check=None, needs_host=True,
           prepare=None):
    """Check `action` against the server as it is now and move it to `task_state` (plus `values`)
    in one transaction; `check(conn, row)` runs in it too (and may add to `values`), after
    `prepare(conn)`, which runs before the server's row is locked. A server
    without a host has no driver to act (nova's 409 unless `needs_host` is false). Returns the
    row as it was."""
    uuid = instance['uuid']
    with services.store.write() as conn:
        if prepare is not None:
            prepare(conn)
        row = db.get(conn, uuid, for_update=True)
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        states.check_action(action, row, context.is_admin)
        if needs_host and not row['host']:
            raise exception.InstanceNotReady(instance_id=uuid)
        if check is not None:
            check(conn, row)
        now = utcnow()
        changes = dict(values or {}, task_state=task_state, updated_at=now)
        if not db.compare_and_swap(conn, uuid, row['task_state'], changes, expected_vm_state=row['vm_state']):
            raise exception.InstanceInvalidState(action=action.split(':')[0], instance_id=uuid,
                                                 attr='task_state', state=row['task_state'])
        db_actions.start(conn, context, [uuid], action.split(':')[0], now)
    return row


def _cast(services, row, method, **arguments):
    """Send `method` to the server's host (the host it had when the action was accepted)."""
    servers.cast(services, row['uuid'], row['host'], method, instance_uuid=row['uuid'], **arguments)


def _driver_action(services, context, instance, action, task_state, method, **arguments):
    _cast(services, _begin(services, context, instance, action, task_state), method, **arguments)


# -- power -------------------------------------------------------------------------------------

def reboot(services, context, instance, reboot_type):
    """reboot_type SOFT or HARD (a hard reboot also brings back a stopped, paused or suspended
    server, and may interrupt a reboot in flight)."""
    task_state = states.REBOOTING_HARD if reboot_type == 'HARD' else states.REBOOTING
    _driver_action(services, context, instance, 'reboot:' + reboot_type, task_state, 'reboot_instance',
                   reboot_type=reboot_type)


def _simple(action, task_state, method):
    """An action whose host work needs nothing but the server."""
    def perform(services, context, instance):
        _driver_action(services, context, instance, action, task_state, method)
    perform.__name__ = action
    perform.__doc__ = '%s: %s, then %s on the host.' % (action, task_state, method)
    return perform


stop = _simple('stop', states.POWERING_OFF, 'stop_instance')
start = _simple('start', states.POWERING_ON, 'start_instance')
pause = _simple('pause', states.PAUSING, 'pause_instance')
unpause = _simple('unpause', states.UNPAUSING, 'unpause_instance')
suspend = _simple('suspend', states.SUSPENDING, 'suspend_instance')
resume = _simple('resume', states.RESUMING, 'resume_instance')
unrescue = _simple('unrescue', states.UNRESCUING, 'unrescue_instance')


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
    _driver_action(services, context, instance, 'changePassword', states.UPDATING_PASSWORD, 'set_admin_password',
                   new_pass=password)


# -- resize ------------------------------------------------------------------------------------

def flavor_values(flavor):
    """The instance columns a flavor sets."""
    return {column: flavor[key] for key, column in FLAVOR_COLUMNS.items()}


def flavor_of(instance):
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
    new = flavor_values(flavor)

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
    row = _begin(services, context, instance, 'resize', states.RESIZE_PREP, values, check=check_quota)
    _cast(services, row, 'resize_instance', flavor=new)


@dataclasses.dataclass
class _Owner:
    """The quota check's view of who pays: the server's project, whoever resizes it."""
    project_id: str


def _flavor_values_doc(flavor):
    return {key: flavor[key] for key in FLAVOR_COLUMNS}


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
    _cast(services, row, 'revert_resize', old_flavor=json.loads(row['old_flavor']),
          stopped=row['power_state'] == power_state.SHUTDOWN)


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
    row = _begin(services, context, instance, 'rebuild', states.REBUILDING, values, check=replace_metadata)
    # The answer shows the rebuild as accepted, whatever its task reaches first.
    server = servers.get_server(services.store, context, instance['uuid'])
    _cast(services, row, 'rebuild_instance', admin_password=password,
          injected_files=encode_files(request.personality))
    return server, password


def _check_image_fits(image, instance):
    if image['min_ram'] and instance['memory_mb'] < image['min_ram']:
        raise exception.FlavorMemoryTooSmall()
    if instance['root_gb'] and image['min_disk'] and instance['root_gb'] < image['min_disk']:
        raise exception.FlavorDiskTooSmall()


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

    row = _begin(services, context, instance, action, task_state, check=register_image)
    _cast(services, row, 'snapshot_instance', action=action, task_state=task_state, image_id=created['id'],
          rotation=rotation)
    return created['id']


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

    _driver_action(services, context, instance, 'rescue', states.RESCUING, 'rescue_instance', image_ref=image_ref,
                   rescue_password=password)
    return password


# -- console -----------------------------------------------------------------------------------

def console_output(services, instance, length=None):
    """The last `length` lines of the serial console log (all of it when None or -1), without
    control characters. A read: it does not change the server, so the request waits for it."""
    target = servers.hosted_driver_instance(services.store, instance)
    return services.compute.call(instance['host'], 'get_console_output', instance=target, length=length)


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
    row = _begin(services, context, instance, 'shelve', states.SHELVING, {'shelved_image_id': image_id},
                 check=register_image)
    _cast(services, row, 'shelve_instance', image_id=image_id)


def shelve_offload(services, context, instance):
    """Free the hypervisor of a shelved server (shelved -> shelved_offloaded)."""
    _driver_action(services, context, instance, 'shelveOffload', states.SHELVING_OFFLOADING,
                   'shelve_offload_instance')


def unshelve(services, context, instance):
    """Bring a shelved server back (unshelving -> active): spawned again from its shelved image
    when offloaded, else started; the shelved image is then deleted (nova deletes it either way)."""
    values, candidates = {}, []

    def lock_candidates(conn):
        # Before the server's row (scheduler.py: the node locks come first).
        candidates.extend(scheduler.lock_candidates(conn, services.conf))

    def choose_host(conn, row):
        # An offloaded server has no host: it goes to an up, enabled one with room.
        if not row['host']:
            server = dict(row)
            if not scheduler.place(conn, candidates, [server]):
                raise exception.NoValidHost()
            values.update(host=server['host'], node=server['node'])
    row = _begin(services, context, instance, 'unshelve', states.UNSHELVING, values, check=choose_host,
                 needs_host=False, prepare=lock_candidates)
    _cast(services, dict(row, host=values.get('host', row['host'])), 'unshelve_instance')


# -- migrations --------------------------------------------------------------------------------

def list_migrations(store, filters):
    with store.read() as conn:
        return db_migrations.list_migrations(conn, filters)
