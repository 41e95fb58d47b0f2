"""A compute host's part of the servers lifecycle: the build (scheduling -> spawning ->
driver.spawn -> active, or error with a fault) and the end of a delete (driver.destroy, then the
row soft-deleted, its console tokens and shelve snapshot with it).

Every state write is a compare-and-swap on the task_state its writer expects, so a DELETE (which
takes the server to task_state deleting, or removes it at once while nothing has reached the
driver yet) always wins over a build in flight: the build's final write fails and the build
destroys what it created.
"""
import base64
import logging
import traceback

from compute_api import exception
from compute_api.compute import network
from compute_api.compute import states
from compute_api.compute.servers import driver_instance
from compute_api.db import images as db_images
from compute_api.db import instance_actions as db_actions
from compute_api.db import instances as db
from compute_api.db import server_metadata as db_metadata
from compute_api.db.store import utcnow
from compute_api.virt import driver as driver_mod

LOG = logging.getLogger(__name__)


def guest_config(conf, instance, addresses, admin_password=None, injected_files=()):
    """What the guest of `instance` (its row) is given at a spawn or rebuild (driver.Guest):
    its interfaces from `addresses` (its address rows), its key, user_data and config drive from
    the row, and the admin password and injected files of the request."""
    hostname = instance['hostname']
    if conf.api.dhcp_domain:
        hostname = '%s.%s' % (hostname, conf.api.dhcp_domain)
    user_data = instance['user_data']
    return driver_mod.Guest(
        hostname=hostname,
        network_info=network.network_info(conf, instance['uuid'], addresses),
        key_name=instance['key_name'],
        key_data=instance['key_data'],
        admin_password=admin_password,
        user_data=base64.b64decode(user_data) if user_data is not None else None,
        injected_files=tuple((path, bytes(contents)) for path, contents in injected_files),
        config_drive=bool(instance['config_drive']))


def _start_build(conn, uuid):
    """scheduling -> spawning; the server's row and address rows (what its guest is made of), or
    None when the server left scheduling."""
    if not db.compare_and_swap(conn, uuid, states.SCHEDULING, {'task_state': states.SPAWNING,
                                                               'updated_at': utcnow()}):
        return None
    return db.get(conn, uuid), db.addresses(conn, uuid)


def build(host, target, image, admin_password, injected_files):
    """scheduling -> spawning -> driver.spawn -> active (or error with a fault) of the server
    `target` (driver_instance()) booting `image`. Gives up silently when the server left
    `scheduling` before it started (a DELETE got there first)."""
    store, driver = host.store, host.driver
    uuid = target['uuid']
    started = store.transact(_start_build, uuid)
    if started is None:
        return
    try:
        driver.spawn(target, image, guest_config(host.conf, *started, admin_password, injected_files))
        power_state = driver.get_power_state(target)
    except Exception as exc:
        _fail(host, target, states.SPAWNING, exc)
        return
    if not store.transact(_spawned, uuid, power_state, utcnow()):
        # Deleted while spawning: what the driver just created belongs to nobody.
        destroy_quietly(driver, target)


def _spawned(conn, uuid, power_state, now):
    """spawning -> active, and the create action finished; False when the server moved on."""
    finished = db.compare_and_swap(conn, uuid, states.SPAWNING, {
        'vm_state': states.ACTIVE, 'task_state': None, 'power_state': power_state, 'progress': 100,
        'launched_at': now, 'updated_at': now}, expected_vm_state=states.BUILDING)
    if finished:
        db_actions.finish_create(conn, uuid, now)
    return finished


def _fail(host, target, expected_task_state, exc):
    """The driver failed: vm_state error with a fault, unless the server moved on meanwhile (then
    nobody wants what the driver may have left behind)."""
    LOG.warning('Server %s: %s failed: %s', target['uuid'], expected_task_state, type(exc).__name__)
    host.store.transact(_failed, target['uuid'], expected_task_state, exc, utcnow())
    destroy_quietly(host.driver, target)


def _failed(conn, uuid, expected_task_state, exc, now):
    """-> error with a fault, and the create action finished as failed, unless the server moved on."""
    if db.compare_and_swap(conn, uuid, expected_task_state, {
            'vm_state': states.ERROR, 'task_state': None, 'updated_at': now}):
        record_fault(conn, uuid, exc, now)
        db_actions.finish_create(conn, uuid, now, failed=True)


def record_fault(conn, uuid, exc, now):
    """An instance_faults row, nova's way: the message of an API exception (safe to show), or
    else only the exception's class name; the text and traceback go to `details`, which only
    administrators see."""
    if isinstance(exc, exception.ComputeError):
        message = exc.message
    else:
        message = type(exc).__name__
    details = ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    db.add_fault(conn, uuid, 500, message, details, now)


def destroy_quietly(driver, target):
    try:
        driver.destroy(target)
    except Exception:
        LOG.exception('Server %s: destroying the driver instance failed', target['uuid'])


def finish_delete(host, uuid):
    """driver.destroy, then the row soft-deleted (its console tokens deleted), its addresses
    released and its shelve snapshot deleted."""
    with host.store.read() as conn:
        instance = db.get(conn, uuid)
        if instance is None or instance['task_state'] != states.DELETING:
            return
        metadata = db_metadata.get(conn, uuid)
    target = driver_instance(instance, metadata)
    try:
        host.driver.destroy(target)
    except Exception as exc:
        LOG.warning('Server %s: destroy failed: %s', uuid, type(exc).__name__)
        now = utcnow()
        with host.store.write() as conn:
            if db.compare_and_swap(conn, uuid, states.DELETING, {'vm_state': states.ERROR, 'task_state': None,
                                                                 'updated_at': now}):
                record_fault(conn, uuid, exc, now)
        return
    with host.store.write() as conn:
        if db.soft_delete(conn, uuid, states.DELETING, utcnow()) and instance['shelved_image_id']:
            # nova deletes a shelved server's snapshot with it: nothing else would ever boot it.
            db_images.soft_delete(conn, instance['shelved_image_id'])
