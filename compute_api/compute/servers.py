"""The servers lifecycle: create (and the build that follows), show, list, update, delete.

A create writes every row of every requested server (instance, metadata, addresses, block
devices, security groups) in one transaction, with vm_state building and task_state scheduling,
after the quota check that runs inside the same transaction. The build then runs on the task
runner: scheduling -> spawning -> driver.spawn -> active, or error with a fault. Every state write
is a compare-and-swap on the task_state its writer expects, so a DELETE (which takes the server to
task_state deleting, or removes it at once while nothing has reached the driver yet) always wins
over a build in flight: the build's final write fails and the build destroys what it created.
"""
import base64
import dataclasses
import logging
import re
import secrets
import string
import traceback
import uuid as uuid_mod

import sqlalchemy as sa

from compute_api import exception
from compute_api.compute import network
from compute_api.compute import quotas
from compute_api.compute import states
from compute_api.db import flavors as db_flavors
from compute_api.db import images as db_images
from compute_api.db import instance_actions as db_actions
from compute_api.db import instances as db
from compute_api.db import models
from compute_api.db import security_groups as db_security_groups
from compute_api.db import server_groups as db_groups
from compute_api.db import server_metadata as db_metadata
from compute_api.db.store import utcnow
from compute_api.virt import driver as driver_mod

LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
# How many times a DELETE re-reads a server whose task_state moved under it before it could
# take it to deleting (each retry means a concurrent writer made progress).
DELETE_ATTEMPTS = 20


@dataclasses.dataclass
class CreateRequest:
    """A validated POST /servers body, in domain terms."""
    name: str
    flavor_ref: str
    image_ref: str = None          # image id; '' or None with a bootable block device
    metadata: dict = dataclasses.field(default_factory=dict)
    personality: list = dataclasses.field(default_factory=list)   # [(path, decoded bytes)]
    access_ip_v4: str = None
    access_ip_v6: str = None
    admin_password: str = None
    networks: object = None        # None, 'auto', 'none' or [{uuid, fixed_ip, port}]
    security_groups: list = dataclasses.field(default_factory=lambda: ['default'])
    key_name: str = None
    user_data: str = None          # base64 text, as nova stores it
    availability_zone: str = None
    min_count: int = 1
    max_count: int = 1
    block_devices: list = dataclasses.field(default_factory=list)  # bdm v2 dicts
    config_drive: bool = False
    auto_disk_config: bool = None  # None: the image decides
    scheduler_hints: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Server:
    """A server as the views need it: its row and the rows hanging off it."""
    instance: dict
    metadata: dict
    addresses: list
    volumes: list
    fault: dict = None
    security_groups: list = dataclasses.field(default_factory=list)  # names, in the order given


# -- create ------------------------------------------------------------------------------------

def create(services, context, request):
    """Create min_count..max_count servers (as many as the quota allows, all or nothing) and start
    their builds; returns (instance rows, admin password, reservation id).

    One writing transaction (_insert_servers, run again if a deadlock picks it): the quota lock is
    taken before the limits are read, so the limits and the usage counted are what the creates
    before this one committed."""
    conf = services.conf
    admin_password = request.admin_password
    if admin_password is None:
        admin_password = generate_password(conf.password_length)
    reservation_id = 'r-' + ''.join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))
    rows, image, placeable, addresses = services.store.transact(_insert_servers, services, context, request,
                                                                reservation_id)
    if placeable:
        for row in rows:
            # The build gets what it needs from here rather than reading it back.
            services.tasks.submit(build, services, row, request.metadata, image, admin_password,
                                  request.personality, addresses[row['uuid']])
    return rows, admin_password, reservation_id


def _insert_servers(conn, services, context, request, reservation_id):
    """create()'s transaction: checks, quota, the rows; (rows, image, whether they can be built,
    {uuid: address rows})."""
    conf = services.conf
    flavor = _flavor_for_boot(conn, context, request.flavor_ref)
    boot_volume = _boot_volume(request.block_devices)
    image_id = _image_id_for_boot(request, boot_volume)
    image = _image_for_boot(conn, context, image_id) if image_id else None
    quotas.lock_project(conn, context.project_id)
    limits = quotas.limits_for(conn, conf, context.project_id)
    key_data = _key_data(conn, context, request.key_name)
    group_ids = _security_group_ids(conn, context, request.security_groups)
    if image is not None:
        _check_image_fits(image, flavor, volume_backed=boot_volume)
    check_metadata(request.metadata, limits['metadata_items'])
    services.driver.check_server_metadata(request.metadata)
    check_personality(request.personality, limits)
    auto_disk_config = _auto_disk_config(request.auto_disk_config, image)
    availability_zone = _availability_zone(services, context, request.availability_zone)
    interfaces = network.plan(conf, request.networks)

    usage = quotas.server_usage(conn, context.project_id, locking=True)
    count = _quota_count(limits, usage, request.min_count, request.max_count, flavor)
    # nova's configdrive.update_instance: a forced drive shows on the server as an asked-for one.
    config_drive = request.config_drive or conf.force_config_drive
    now = utcnow()
    rows = []
    for index in range(count):
        name = request.name if count == 1 else '%s-%d' % (request.name, index + 1)
        rows.append(_instance_row(context, request, flavor, image_id, name, index, count, reservation_id,
                                  key_data, auto_disk_config, availability_zone, config_drive, now))
    metadata_rows = [{'instance_uuid': row['uuid'], 'key': k, 'value': v}
                     for row in rows for k, v in request.metadata.items()]
    bdm_rows = [dict(bdm, instance_uuid=row['uuid']) for row in rows for bdm in request.block_devices]
    group_rows = [{'instance_uuid': row['uuid'], 'security_group_id': group_id}
                  for row in rows for group_id in group_ids]
    db.insert(conn, rows, metadata_rows, bdm_rows, group_rows)
    db_actions.start(conn, context, [row['uuid'] for row in rows], 'create', now)
    addresses = {row['uuid']: network.allocate(conn, row['uuid'], interfaces) for row in rows}
    placeable = _join_group(conn, context, request.scheduler_hints, rows, now, limits)
    return rows, image, placeable, addresses


def _join_group(conn, context, hints, rows, now, limits):
    """Put the new servers into the server group of the `group` hint (400 when the caller has no
    such group; 403 over the server_group_members quota). This deployment is one host, so an
    anti-affinity group holds one server: servers beyond it fail as nova's scheduler fails them
    (ERROR, "No valid host was found"). Returns whether the servers can be built."""
    group_uuid = hints.get('group')
    if not group_uuid:
        return True
    if isinstance(group_uuid, list):
        group_uuid = group_uuid[0] if group_uuid else None
    group = db_groups.get(conn, str(group_uuid), None if context.is_admin else context.project_id)
    if group is None:
        raise exception.Invalid(exception.InstanceGroupNotFound(group_uuid=group_uuid).message)
    members = db_groups.count_members(conn, group['uuid'])
    allowed = limits['server_group_members']
    if 0 <= allowed < members + len(rows):
        raise exception.QuotaExceeded('Quota exceeded, too many servers in group')
    for row in rows:
        db_groups.add_member(conn, group['uuid'], row['uuid'])
    if group['policy'] == 'anti-affinity' and members + len(rows) > 1:
        for row in rows:
            db.compare_and_swap(conn, row['uuid'], states.SCHEDULING, {'vm_state': states.ERROR, 'task_state': None})
            db.add_fault(conn, row['uuid'], 500, NoValidHost.msg, '', now)
        return False
    return True


class NoValidHost(exception.ComputeError):
    msg = 'No valid host was found. There are not enough hosts available.'


def _quota_count(limits, usage, min_count, max_count, flavor):
    """The largest count in [min_count, max_count] the quota allows (nova's rule); the quota
    module's QuotaExceeded (for min_count) when not even min_count fits."""
    def check(count):
        quotas.check_servers(limits, usage, count, flavor['vcpus'] * count, flavor['memory_mb'] * count)

    try:
        check(max_count)
        return max_count
    except exception.QuotaExceeded:
        if min_count == max_count:
            raise
    check(min_count)
    # Binary search for the largest count that fits.
    low, high = min_count, max_count - 1
    while low < high:
        middle = (low + high + 1) // 2
        try:
            check(middle)
            low = middle
        except exception.QuotaExceeded:
            high = middle - 1
    return low


def _instance_row(context, request, flavor, image_id, name, index, count, reservation_id, key_data,
                  auto_disk_config, availability_zone, config_drive, now):
    return {
        'uuid': str(uuid_mod.uuid4()),
        'project_id': context.project_id,
        'user_id': context.user_id,
        'display_name': name,
        'display_description': name,
        'hostname': _hostname(name),
        'image_ref': image_id or '',
        'flavor_id': flavor['flavorid'],
        'memory_mb': flavor['memory_mb'],
        'vcpus': flavor['vcpus'],
        'root_gb': flavor['root_gb'],
        'ephemeral_gb': flavor['ephemeral_gb'],
        'swap': flavor['swap'],
        'vm_state': states.BUILDING,
        'task_state': states.SCHEDULING,
        'power_state': 0,
        'progress': 0,
        'availability_zone': availability_zone,
        'access_ip_v4': request.access_ip_v4,
        'access_ip_v6': request.access_ip_v6,
        'key_name': request.key_name,
        'key_data': key_data,
        'user_data': request.user_data,
        'config_drive': 'True' if config_drive else '',
        'auto_disk_config': auto_disk_config,
        'reservation_id': reservation_id,
        'launch_index': index,
        'locked': False,
        'created_at': now,
        'updated_at': now,
        'deleted': False,
    }


def _hostname(name):
    """nova's sanitize_hostname: lower case, [a-z0-9.-] only, no leading/trailing dots or dashes."""
    text = re.sub(r'[ _]', '-', name.lower())
    text = re.sub(r'[^\w.-]+', '', text, flags=re.ASCII)
    return text.strip('.-')[:63] or 'server'


def generate_password(length):
    """A random password of `length` characters from nova's unambiguous alphabet, with at least one
    character of each group when the length allows."""
    groups = ('23456789', 'ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz')
    alphabet = ''.join(groups)
    chars = [secrets.choice(group) for group in groups][:length]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return ''.join(chars)


def _flavor_for_boot(conn, context, flavor_ref):
    flavor = db_flavors.get_by_flavorid(conn, flavor_ref, context.project_id, context.is_admin)
    if flavor is None or flavor['disabled']:
        raise exception.InvalidFlavorRef()
    return flavor


def _boot_volume(block_devices):
    """Whether the root disk is a volume (boot from volume): the boot device's destination."""
    for bdm in block_devices:
        if bdm.get('boot_index') == 0:
            return bdm.get('destination_type') == 'volume'
    return False


def _image_id_for_boot(request, boot_volume):
    """The image the server boots from: imageRef, else an image -> local boot device's image;
    None for boot from volume. Empty imageRef needs a bootable block device."""
    if request.image_ref:
        return request.image_ref
    for bdm in request.block_devices:
        if bdm.get('boot_index') == 0:
            if bdm.get('source_type') == 'image' and bdm.get('destination_type') == 'local':
                return bdm.get('uuid')
            return None
    raise exception.InvalidImageRef()


def _image_for_boot(conn, context, image_id):
    """An image the caller may boot: public, owned by the project, or any for an admin."""
    image = db_images.get_with_properties(conn, image_id, context.project_id, context.is_admin)
    if image is None:
        raise exception.ImageNotFoundForBoot()
    if image['status'] != 'active':
        raise exception.ImageNotActive(image_id=image_id)
    return image


def _check_image_fits(image, flavor, volume_backed):
    if image['min_ram'] and flavor['memory_mb'] < image['min_ram']:
        raise exception.FlavorMemoryTooSmall()
    if volume_backed or not flavor['root_gb']:
        # A zero root disk means "as big as the image"; a volume is sized on its own.
        return
    if image['min_disk'] and flavor['root_gb'] < image['min_disk']:
        raise exception.FlavorDiskTooSmall()
    if image['size'] and image['size'] > flavor['root_gb'] * GiB:
        raise exception.FlavorDiskTooSmall()


def _auto_disk_config(requested, image):
    """OS-DCF:diskConfig: as requested, else the image's auto_disk_config property (MANUAL when
    unset); an image may forbid AUTO with auto_disk_config=disabled."""
    value = ((image or {}).get('properties') or {}).get('auto_disk_config')
    if requested is None:
        return str(value).strip().lower() in ('1', 't', 'true', 'on', 'y', 'yes')
    if requested and value is not None and str(value).strip().lower() == 'disabled':
        raise exception.AutoDiskConfigDisabledByImage(image=image['id'])
    return requested


def _key_data(conn, context, key_name):
    if key_name is None:
        return None
    key = models.key_pairs
    public_key = conn.execute(sa.select(key.c.public_key).where(key.c.user_id == context.user_id)
                              .where(key.c.name == key_name)).first()
    if public_key is None:
        raise exception.InvalidKeyName()
    return public_key[0]


def _security_group_ids(conn, context, names):
    """The ids of the project's groups of those names, share-locked until the create commits (so
    none is deleted meanwhile); "default" is made when missing (nova creates it on first use;
    the caller holds the project's quota lock, which orders its creators)."""
    groups = db_security_groups.lock_for_use(conn, context.project_id, names)
    for name in names:
        if name not in groups and name == db_security_groups.DEFAULT:
            groups[name] = db_security_groups.create(conn, context.project_id, context.user_id, name, name)
        if name not in groups:
            raise exception.SecurityGroupNotFoundForProject(security_group_id=name,
                                                            project_id=context.project_id)
    return [groups[name]['id'] for name in names]


def _availability_zone(services, context, requested):
    """nova's "zone[:host[:node]]": the zone must be ours; forcing a host is an admin's policy."""
    conf = services.conf
    if not requested:
        return conf.default_availability_zone
    zone, _sep, rest = requested.partition(':')
    if rest:
        services.authorize(context, 'os_compute_api:servers:create:forced_host')
        host = rest.partition(':')[0]
        if host and host != conf.host:
            raise exception.ComputeHostNotFound(host=host)
    if zone and zone != conf.default_availability_zone:
        raise exception.AvailabilityZoneNotAvailable()
    return conf.default_availability_zone


def check_metadata(metadata, limit):
    """nova's metadata checks: item count against the quota (403), then each key and value
    (strings; key not blank; both at most 255 characters, a 413 on legacy v2)."""
    if not isinstance(metadata, dict):
        raise exception.InvalidMetadata(reason='Metadata type should be dict.')
    if limit >= 0 and len(metadata) > limit:
        raise exception.MetadataLimitExceeded(allowed=limit)
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise exception.InvalidMetadata(reason='The input is not a string or unicode')
        if not key.strip():
            raise exception.InvalidMetadata(reason='Metadata property key blank.')
        if len(key) > 255:
            raise exception.InvalidMetadataSize(reason='Metadata property key greater than 255 characters')
        if len(value) > 255:
            raise exception.InvalidMetadataSize(reason='Metadata property value greater than 255 characters')


def check_personality(files, limits):
    """Injected files against the quotas: count, then longest path, then largest content (403)."""
    if not files:
        return
    allowed = limits['injected_files']
    if allowed >= 0 and len(files) > allowed:
        raise exception.OnsetFileLimitExceeded()
    path_limit = limits['injected_file_path_length']
    if path_limit >= 0 and max(len(path.encode()) for path, _c in files) > path_limit:
        raise exception.OnsetFilePathLimitExceeded()
    content_limit = limits['injected_file_content_bytes']
    if content_limit >= 0 and max(len(contents) for _p, contents in files) > content_limit:
        raise exception.OnsetFileContentLimitExceeded()


# -- the build (runs on the task runner) -------------------------------------------------------

def driver_instance(instance, metadata):
    """The plain dict a driver works on."""
    return {
        'uuid': instance['uuid'],
        'instance_name': 'instance-%08x' % instance['id'],
        'display_name': instance['display_name'],
        'vcpus': instance['vcpus'],
        'memory_mb': instance['memory_mb'],
        'root_gb': instance['root_gb'],
        'ephemeral_gb': instance['ephemeral_gb'],
        'swap': instance['swap'],
        'image_ref': instance['image_ref'],
        'metadata': dict(metadata),
        'project_id': instance['project_id'],
        'availability_zone': instance['availability_zone'],
        'launch_index': instance['launch_index'],
    }


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


def hosted_driver_instance(store, instance):
    """driver_instance() of a server that has a host, for a driver read in the request (console
    output, diagnostics); InstanceNotReady before it has one (nova's check_instance_host)."""
    if not instance['host']:
        raise exception.InstanceNotReady(instance_id=instance['uuid'])
    with store.read() as conn:
        metadata = db_metadata.get(conn, instance['uuid'])
    return driver_instance(instance, metadata)


def node_name(services):
    return getattr(services.driver, 'nodename', None) or services.conf.host


def build(services, instance, metadata, image, admin_password, injected_files, addresses):
    """scheduling -> spawning -> driver.spawn -> active (or error with a fault) of the new server
    `instance` (its row, with its `metadata` and `addresses` rows) booting `image`. Gives up
    silently when the server left `scheduling` before it started (a DELETE got there first)."""
    store, driver = services.store, services.driver
    target = driver_instance(instance, metadata)
    uuid = target['uuid']
    started = store.transact(db.compare_and_swap, uuid, states.SCHEDULING, {
        'task_state': states.SPAWNING, 'host': services.conf.host, 'node': node_name(services),
        'updated_at': utcnow()})
    if not started:
        return
    try:
        guest = guest_config(services.conf, instance, addresses, admin_password, injected_files)
        driver.spawn(target, image, guest)
        power_state = driver.get_power_state(target)
    except Exception as exc:
        _fail(services, target, states.SPAWNING, exc)
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


def _fail(services, target, expected_task_state, exc):
    """The driver failed: vm_state error with a fault, unless the server moved on meanwhile (then
    nobody wants what the driver may have left behind)."""
    LOG.warning('Server %s: %s failed: %s', target['uuid'], expected_task_state, type(exc).__name__)
    services.store.transact(_failed, target['uuid'], expected_task_state, exc, utcnow())
    destroy_quietly(services.driver, target)


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


# -- delete ------------------------------------------------------------------------------------

def delete(services, context, instance):
    """Accept a DELETE: remove a server nothing has reached the driver for at once, else take it
    to task_state deleting and finish on the task runner. Locked servers refuse non-admins."""
    uuid = instance['uuid']
    if instance['locked'] and not context.is_admin:
        raise exception.InstanceIsLocked(instance_id=uuid)
    for _attempt in range(DELETE_ATTEMPTS):
        with services.store.write() as conn:
            current = db.get(conn, uuid)
            if current is None:
                return
            task_state = current['task_state']
            if task_state == states.DELETING:
                return
            if task_state == states.SCHEDULING:
                # The build has not reached the driver (it starts with scheduling -> spawning).
                if db.soft_delete(conn, uuid, states.SCHEDULING, utcnow()):
                    return
                continue
            if db.compare_and_swap(conn, uuid, task_state, {'task_state': states.DELETING,
                                                            'updated_at': utcnow()}):
                break
    else:
        raise exception.Conflict('Server %s is changing state too fast to delete; try again.' % uuid)
    services.tasks.submit(finish_delete, services, uuid)


def finish_delete(services, uuid):
    """driver.destroy, then the row soft-deleted, its addresses released and its shelve snapshot
    deleted."""
    with services.store.read() as conn:
        instance = db.get(conn, uuid)
        if instance is None or instance['task_state'] != states.DELETING:
            return
        metadata = db_metadata.get(conn, uuid)
    target = driver_instance(instance, metadata)
    try:
        services.driver.destroy(target)
    except Exception as exc:
        LOG.warning('Server %s: destroy failed: %s', uuid, type(exc).__name__)
        now = utcnow()
        with services.store.write() as conn:
            if db.compare_and_swap(conn, uuid, states.DELETING, {'vm_state': states.ERROR, 'task_state': None,
                                                                 'updated_at': now}):
                record_fault(conn, uuid, exc, now)
        return
    with services.store.write() as conn:
        if db.soft_delete(conn, uuid, states.DELETING, utcnow()) and instance['shelved_image_id']:
            # nova deletes a shelved server's snapshot with it: nothing else would ever boot it.
            db_images.soft_delete(conn, instance['shelved_image_id'])


# -- read --------------------------------------------------------------------------------------

def get_instance(store, context, uuid):
    """A live server the caller may see (admins: any project); 404 otherwise, the same for
    another project's server as for a random id."""
    with store.read() as conn:
        instance = db.get(conn, uuid, project_id=None if context.is_admin else context.project_id)
    if instance is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return instance


def get_server(store, context, uuid):
    with store.read() as conn:
        instance = db.get(conn, uuid, project_id=None if context.is_admin else context.project_id)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        return _load(conn, [instance])[0]


def _load(conn, instances):
    """Servers with their related rows: one query per kind of row, whatever the page size."""
    uuids = [row['uuid'] for row in instances]
    metadata, addresses, volumes, groups = db.related_many(conn, uuids)
    faulted = [row['uuid'] for row in instances
               if states.status(row['vm_state'], row['task_state'], row['deleted']) in states.FAULT_STATUSES]
    faults = db.latest_faults(conn, faulted)
    return [Server(instance=row, metadata=metadata.get(row['uuid'], {}), addresses=addresses.get(row['uuid'], []),
                   volumes=volumes.get(row['uuid'], []), fault=faults.get(row['uuid']),
                   security_groups=groups.get(row['uuid'], []))
            for row in instances]


def list_servers(store, filters, sort, limit, marker, with_details):
    """A page of servers (db.list_instances filters); related rows only for the detail view."""
    with store.read() as conn:
        try:
            rows = db.list_instances(conn, filters, sort, limit, marker)
        except db.RegexpError as exc:
            raise exception.Invalid('Invalid regular expression in the filters: %s' % exc) from None
        if rows is None:
            raise exception.MarkerNotFound(marker=marker)
        if not with_details:
            return [Server(instance=row, metadata={}, addresses=[], volumes=[]) for row in rows]
        return _load(conn, rows)


# -- update ------------------------------------------------------------------------------------

def update(store, context, instance, values):
    """Set the server's own fields (display_name, access IPs, auto_disk_config); returns it."""
    if values:
        values = dict(values, updated_at=utcnow())
        with store.write() as conn:
            if not db.update(conn, instance['uuid'], values):
                raise exception.InstanceNotFound(instance_id=instance['uuid'])
    return get_server(store, context, instance['uuid'])
