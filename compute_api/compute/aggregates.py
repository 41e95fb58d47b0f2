"""Host aggregates (nova's os-aggregates, admin only): named groups of compute hosts with
metadata; an aggregate's availability zone is its metadata key 'availability_zone'.

This deployment has one compute host ([DEFAULT] host): adding any other host is nova's 404
for an unknown compute host. An aggregate with hosts cannot be deleted.
"""
import sqlalchemy as sa

from compute_api import exception
from compute_api.db import aggregates as db

AZ_KEY = 'availability_zone'
MAX_ID = 2 ** 31 - 1  # ids are 32-bit INTEGER columns: a larger one names nothing


def _aggregate_id(value):
    try:
        aggregate_id = int(str(value))
    except ValueError:
        raise exception.InvalidInput(reason='id must be an integer')
    return aggregate_id


def _get(conn, aggregate_id):
    aggregate_id = _aggregate_id(aggregate_id)
    aggregate = db.get(conn, aggregate_id) if abs(aggregate_id) <= MAX_ID else None
    if aggregate is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return aggregate


def list_aggregates(store):
    with store.read() as conn:
        return db.list_aggregates(conn)


def get_aggregate(store, aggregate_id):
    with store.read() as conn:
        return _get(conn, aggregate_id)


def _unique(conn, name, but=None):
    if db.name_taken(conn, name, but):
        raise exception.AggregateNameExists(aggregate_name=name)


def create_aggregate(store, name, availability_zone=None):
    try:
        with store.write() as conn:
            _unique(conn, name)
            aggregate_id = db.create(conn, name)
            if availability_zone is not None:
                db.update_metadata(conn, aggregate_id, {}, {AZ_KEY: availability_zone})
            return db.get(conn, aggregate_id)
    except sa.exc.IntegrityError:
        raise exception.AggregateNameExists(aggregate_name=name)  # a concurrent create took it


def update_aggregate(store, aggregate_id, values):
    """Rename and/or set the zone (None removes it)."""
    try:
        with store.write() as conn:
            aggregate = _get(conn, aggregate_id)
            if 'name' in values:
                _unique(conn, values['name'], but=aggregate['id'])
                db.rename(conn, aggregate['id'], values['name'])
            else:
                db.touch(conn, aggregate['id'])
            if AZ_KEY in values:
                db.update_metadata(conn, aggregate['id'], aggregate['metadata'], {AZ_KEY: values[AZ_KEY]})
            return db.get(conn, aggregate['id'])
    except sa.exc.IntegrityError:
        raise exception.AggregateNameExists(aggregate_name=values.get('name'))


def delete_aggregate(store, aggregate_id):
    with store.write() as conn:
        aggregate = _get(conn, aggregate_id)
        if aggregate['hosts']:
            raise exception.InvalidAggregateActionDelete(aggregate_id=aggregate['id'], reason='not empty')
        db.delete(conn, aggregate['id'])


def add_host(store, conf, aggregate_id, host):
    with store.write() as conn:
        aggregate = _get(conn, aggregate_id)
        if host != conf.host:
            raise exception.HostNotFound(host=host)
        if host in aggregate['hosts']:
            raise exception.AggregateHostExists(aggregate_id=aggregate['id'], host=host)
        db.add_host(conn, aggregate['id'], host)
        db.touch(conn, aggregate['id'])
        return db.get(conn, aggregate['id'])


def remove_host(store, aggregate_id, host):
    """nova answers every failure here (unknown aggregate, host, or a host not in it) with one
    404 message."""
    with store.write() as conn:
        try:
            aggregate = _get(conn, aggregate_id)
        except exception.AggregateNotFound:
            aggregate = None
        if aggregate is None or host not in aggregate['hosts']:
            raise exception.AggregateHostNotFound('Cannot remove host %s in aggregate %s' % (host, aggregate_id))
        db.remove_host(conn, aggregate['id'], host)
        db.touch(conn, aggregate['id'])
        return db.get(conn, aggregate['id'])


def set_metadata(store, aggregate_id, metadata):
    """Merge {key: value}; a None value removes its key."""
    with store.write() as conn:
        aggregate = _get(conn, aggregate_id)
        db.update_metadata(conn, aggregate['id'], aggregate['metadata'], metadata)
        db.touch(conn, aggregate['id'])
        return db.get(conn, aggregate['id'])
