"""Server metadata rules (nova's compute API): who sees which server, in which states its
metadata may change, and the size and count limits.

A change is one transaction: the server row is read (locked where the database can) and checked,
the items written and the total counted against the metadata_items quota, so a refused change
leaves nothing behind and two concurrent changes cannot together exceed the quota.
"""
from compute_api import exception
from compute_api.compute import quotas
from compute_api.compute import states
from compute_api.db import instances as db_instances
from compute_api.db import server_metadata as db_metadata
from compute_api.db import store as store_mod

MAX_LENGTH = 255  # instance_metadata.key / .value are VARCHAR(255)


def check_items(items):
    """nova's _check_metadata_properties_quota size rules, which v2.1's schema already enforces
    and legacy v2 relies on: a key is 1..255 characters, a value a string of at most 255."""
    for key, value in items.items():
        if not isinstance(value, str):
            raise exception.InvalidMetadata(reason='Metadata property value %s is not a string' % key)
        if not key:
            raise exception.InvalidMetadata(reason='Metadata property key blank')
        if len(key) > MAX_LENGTH:
            raise exception.InvalidMetadataSize(reason='Metadata property key greater than 255 characters')
        if len(value) > MAX_LENGTH:
            raise exception.InvalidMetadataSize(reason='Metadata property value greater than 255 characters')


def check_count(count, limit):
    """The metadata_items quota (-1 is unlimited)."""
    if 0 <= limit < count:
        raise exception.MetadataLimitExceeded(allowed=limit)


def metadata_items_limit(services, conn, project_id):
    """The project's metadata_items quota: its own limit if one is set, else the default."""
    return quotas.limits_for(conn, services.conf, project_id)['metadata_items']


def list_items(store, instance):
    with store.read() as conn:
        return db_metadata.get(conn, instance['uuid'])


def get_item(store, instance, key):
    items = list_items(store, instance)
    if key not in items:
        raise exception.MetadataItemNotFound()
    return items[key]


def update(services, context, instance, items, replace=False):
    """Merge `items` into the server's metadata (or replace it all); returns the result."""
    check_items(items)
    with services.store.write() as conn:
        live = _live_server(conn, instance['uuid'])
        states.check_action('update metadata', live, context.is_admin)
        result = db_metadata.write(conn, live['uuid'], items, replace=replace)
        check_count(len(result), metadata_items_limit(services, conn, live['project_id']))
        db_instances.update(conn, live['uuid'], {'updated_at': store_mod.utcnow()})
    return result


def delete_item(services, context, instance, key):
    with services.store.write() as conn:
        live = _live_server(conn, instance['uuid'])
        states.check_action('delete metadata', live, context.is_admin)
        if not db_metadata.delete_item(conn, live['uuid'], key):
            raise exception.MetadataItemNotFound()
        db_instances.update(conn, live['uuid'], {'updated_at': store_mod.utcnow()})


def _live_server(conn, uuid):
    """The server row, locked for this transaction; gone (deleted meanwhile) is a 404."""
    row = db_instances.get(conn, uuid, for_update=True)
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return row
