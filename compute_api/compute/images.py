"""Image rules: who sees and changes which image, snapshots, and the image metadata quota.

Images live in our own store with glance's model (glance statuses, properties); the API shows
them as nova's image proxy did. Everyone sees public images and their project's own; admins see
all. Only the owner (or an admin) changes or deletes an image, as glance decided for nova.
"""
import dataclasses
import datetime

import sqlalchemy as sa

from compute_api import exception
from compute_api.compute import quotas
from compute_api.db import images as db_images
from compute_api.db import models

# glance status -> nova's image status and progress (nova/api/openstack/compute/views/images.py).
STATUS = {
    'active': 'ACTIVE',
    'queued': 'SAVING',
    'saving': 'SAVING',
    'deleted': 'DELETED',
    'pending_delete': 'DELETED',
    'killed': 'ERROR',
}
PROGRESS = {'queued': 25, 'saving': 50, 'active': 100}
UNKNOWN = 'UNKNOWN'

# Properties nova sets on a snapshot: the server it came from and the kind of image.
INSTANCE_UUID = 'instance_uuid'
IMAGE_TYPE = 'image_type'
BACKUP_TYPE = 'backup_type'
# What the server sets on a snapshot, backup or shelve image; a request's metadata cannot set
# them (unshelve and backup rotation trust them to say whose image it is).
RESERVED_PROPERTIES = frozenset((INSTANCE_UUID, IMAGE_TYPE, BACKUP_TYPE, 'user_id', 'base_image_ref'))

def api_status(glance_status):
    return STATUS.get(glance_status, UNKNOWN)


def glance_statuses(api_status_value):
    """The glance statuses a ?status= filter value stands for."""
    wanted = api_status_value.upper()
    found = [glance for glance, shown in STATUS.items() if shown == wanted]
    return found or [api_status_value.lower()]


@dataclasses.dataclass
class Image:
    """An image row with its properties."""
    row: dict
    properties: dict

    def __getitem__(self, key):
        return self.row[key]


@dataclasses.dataclass
class ListFilters:
    name: str = None
    status: str = None
    changes_since: datetime.datetime = None
    server: str = None          # server uuid: snapshots of that server
    image_type: str = None      # BASE, SERVER, or an image_type property value (snapshot, backup)
    min_disk: int = None
    min_ram: int = None


def _db_filters(filters):
    result = {'name': filters.name, 'changes_since': filters.changes_since, 'min_disk': filters.min_disk,
              'min_ram': filters.min_ram, 'property': {}, 'without_property': []}
    if filters.status is not None:
        result['statuses'] = glance_statuses(filters.status)
    if filters.server is not None:
        result['property'][INSTANCE_UUID] = [filters.server]
    if filters.image_type is not None:
        kind = filters.image_type
        if kind.upper() == 'SERVER':
            result['property'][IMAGE_TYPE] = ['snapshot', 'backup']
        elif kind.upper() == 'BASE':
            result['without_property'].append(IMAGE_TYPE)
        else:
            result['property'][IMAGE_TYPE] = [kind]
    return result


def list_images(store, context, filters, limit, marker):
    """Images the caller may see, newest first, each with its properties."""
    with store.read() as conn:
        rows = db_images.list_images(conn, context.project_id, context.is_admin, _db_filters(filters),
                                     limit=limit, marker=marker)
        if rows is None:
            raise exception.MarkerNotFound(marker=marker)
        props = db_images.properties(conn, [row['id'] for row in rows])
    return [Image(row, props[row['id']]) for row in rows]


def _get(conn, context, image_id):
    row = db_images.get(conn, image_id, context.project_id, context.is_admin)
    if row is None:
        raise exception.ImageNotFound()
    return row


def get_image(store, context, image_id):
    with store.read() as conn:
        row = _get(conn, context, image_id)
        props = db_images.properties(conn, [image_id])[image_id]
    return Image(row, props)


def _may_change(context, row):
    return context.is_admin or (row['owner'] is not None and row['owner'] == context.project_id)


def delete_image(store, context, image_id):
    """Soft-delete an image the caller owns. Servers booted from it keep their image reference."""
    with store.write() as conn:
        row = _get(conn, context, image_id)
        if not _may_change(context, row):
            raise exception.ImageDeleteForbidden()
        db_images.soft_delete(conn, image_id)


# -- metadata (the image's properties) ------------------------------------------------------------

def check_metadata_quota(conn, conf, context, metadata):
    """Raise ImageMetadataLimitExceeded (403) when `metadata` has more items than allowed."""
    if not metadata:
        return
    limit = quotas.limits_for(conn, conf, context.project_id)['metadata_items']
    if limit >= 0 and len(metadata) > limit:
        raise exception.ImageMetadataLimitExceeded()


def get_metadata(store, context, image_id):
    return get_image(store, context, image_id).properties


def _change_metadata(store, conf, context, image_id, change):
    """Apply change(properties) -> new properties to an image the caller may change, under a lock."""
    with store.write() as conn:
        row = _get(conn, context, image_id)
        if not _may_change(context, row):
            raise exception.ImageNotAuthorized(image_id=image_id)
        if not db_images.lock(conn, image_id):
            raise exception.ImageNotFound()
        current = db_images.properties(conn, [image_id])[image_id]
        updated = change(dict(current))
        check_metadata_quota(conn, conf, context, updated)
        db_images.replace_properties(conn, image_id, updated)
    return updated


def merge_metadata(store, conf, context, image_id, metadata):
    """POST /metadata: add or overwrite the given items; returns every item."""
    return _change_metadata(store, conf, context, image_id, lambda props: {**props, **metadata})


def replace_metadata(store, conf, context, image_id, metadata):
    """PUT /metadata: the given items become all the metadata."""
    return _change_metadata(store, conf, context, image_id, lambda _props: dict(metadata))


def delete_metadata_item(store, conf, context, image_id, key):
    def change(props):
        if key not in props:
            raise exception.InvalidMetadataKey()
        del props[key]
        return props
    _change_metadata(store, conf, context, image_id, change)


# -- snapshots (createImage) ----------------------------------------------------------------------

def create_snapshot(conn, context, server_uuid, name, metadata, min_disk, min_ram, image_type='snapshot',
                    backup_type=None, image_id=None):
    """Register the image a snapshot of `server_uuid` will fill, in the caller's transaction.

    The image is private to the caller's project and SAVING until finish_snapshot(); it carries
    the caller's `metadata` (without RESERVED_PROPERTIES) and nova's snapshot properties
    (instance_uuid, image_type, backup_type, user_id, base_image_ref). Callers check the quota
    first with check_metadata_quota().
    """
    props = {key: value for key, value in (metadata or {}).items() if key not in RESERVED_PROPERTIES}
    props.update({INSTANCE_UUID: server_uuid, IMAGE_TYPE: image_type, 'user_id': context.user_id})
    if backup_type is not None:
        props[BACKUP_TYPE] = backup_type
    image_ref = conn.execute(sa.select(models.instances.c.image_ref)
                             .where(models.instances.c.uuid == server_uuid)).scalar()
    if image_ref:
        props['base_image_ref'] = image_ref
    return db_images.create(conn, name, owner=context.project_id, is_public=False, status='queued',
                            image_id=image_id, min_disk=min_disk, min_ram=min_ram, disk_format='qcow2',
                            container_format='bare', props=props)


# API status (or glance status) a snapshot may end in -> glance status.
_FINAL = {'ACTIVE': 'active', 'active': 'active', 'ERROR': 'killed', 'killed': 'killed',
          'SAVING': 'saving', 'saving': 'saving'}


def finish_snapshot(conn, image_id, status, size):
    """Move a snapshot image to ACTIVE (or ERROR; SAVING while uploading) with its size in bytes.

    False when the image was deleted meanwhile (the snapshot is then simply dropped).
    """
    if status not in _FINAL:
        raise ValueError('not a snapshot outcome: %r' % (status,))
    return db_images.update_status(conn, image_id, _FINAL[status], size)
