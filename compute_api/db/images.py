"""Image queries: the images and image_properties tables (our own image store, glance's model).

Statuses are glance's (queued, saving, active, killed, deleted, pending_delete); deleted images
are soft-deleted so changes-since listings can report them.
"""
import uuid

import sqlalchemy as sa

from compute_api.db import models
from compute_api.db import paging
from compute_api.db import store as store_mod

I = models.images  # noqa: E741
P = models.image_properties

# Newest first, as glance lists.
SORT_COLUMNS = [(I.c.created_at, 'desc'), (I.c.id, 'desc')]


def visible(project_id, is_admin):
    """Public images, the project's own, or (admins) every image."""
    if is_admin:
        return sa.true()
    return sa.or_(I.c.is_public == sa.true(), I.c.owner == project_id)


def get(conn, image_id, project_id=None, is_admin=True):
    """A live image the caller may see, or None."""
    query = (sa.select(I).where(I.c.id == image_id).where(I.c.deleted == sa.false())
             .where(visible(project_id, is_admin)))
    return conn.execute(query).mappings().first()


def _with_properties_statement(is_admin):
    query = (sa.select(I, P.c.key.label('property_key'), P.c.value.label('property_value'))
             .select_from(I.outerjoin(P, P.c.image_id == I.c.id))
             .where(I.c.id == sa.bindparam('image_id')).where(I.c.deleted == sa.false()))
    return query if is_admin else query.where(visible(sa.bindparam('project_id'), False))


# Built once (a server create reads it): building a statement costs more than running it.
_WITH_PROPERTIES = {is_admin: _with_properties_statement(is_admin) for is_admin in (False, True)}


def get_with_properties(conn, image_id, project_id=None, is_admin=True):
    """get() and the image's {key: value} properties as `properties`, in one query."""
    rows = conn.execute(_WITH_PROPERTIES[bool(is_admin)], {'image_id': image_id, 'project_id': project_id}).all()
    if not rows:
        return None
    image = {column.name: rows[0][index] for index, column in enumerate(I.columns)}
    image['properties'] = {row.property_key: row.property_value for row in rows if row.property_key is not None}
    return image


def properties(conn, image_ids):
    """{image_id: {key: value}} for the given images, in one query."""
    result = {image_id: {} for image_id in image_ids}
    if not image_ids:
        return result
    rows = conn.execute(sa.select(P.c.image_id, P.c.key, P.c.value).where(P.c.image_id.in_(list(image_ids)))
                        .order_by(P.c.image_id, P.c.key))
    for image_id, key, value in rows:
        result[image_id][key] = value
    return result


def list_images(conn, project_id, is_admin, filters, limit=None, marker=None):
    """Images in glance's order (newest first); None when the marker is not a visible image.

    filters: name, owner, statuses (glance statuses), changes_since (also lists deleted images),
    property (key, value) pairs that must match, without_property (keys that must be absent),
    min_disk, min_ram.
    """
    where = [visible(project_id, is_admin)]
    if filters.get('changes_since') is not None:
        where.append(I.c.updated_at >= filters['changes_since'])
    else:
        where.append(I.c.deleted == sa.false())
    if filters.get('name') is not None:
        where.append(I.c.name == filters['name'])
    if filters.get('owner') is not None:
        where.append(I.c.owner == filters['owner'])
    if filters.get('statuses') is not None:
        where.append(I.c.status.in_(filters['statuses']))
    if filters.get('min_disk') is not None:
        where.append(I.c.min_disk >= filters['min_disk'])
    if filters.get('min_ram') is not None:
        where.append(I.c.min_ram >= filters['min_ram'])
    for key, values in filters.get('property', {}).items():
        where.append(I.c.id.in_(sa.select(P.c.image_id).where(P.c.key == key).where(P.c.value.in_(values))))
    for key in filters.get('without_property', ()):
        where.append(I.c.id.not_in(sa.select(P.c.image_id).where(P.c.key == key)))
    query = sa.select(I).where(*where)
    if marker is not None:
        marker_row = conn.execute(sa.select(I.c.created_at, I.c.id).where(I.c.id == marker)
                                  .where(visible(project_id, is_admin))).first()
        if marker_row is None:
            return None
        query = query.where(paging.after_marker(SORT_COLUMNS, list(marker_row)))
    query = query.order_by(*paging.order_by(SORT_COLUMNS))
    if limit is not None:
        query = query.limit(limit)
    return conn.execute(query).mappings().all()


def create(conn, name, owner, is_public=False, status='active', image_id=None, size=None, min_disk=0,
           min_ram=0, disk_format=None, container_format=None, props=None):
    """Insert an image and its properties; returns the new row."""
    now = store_mod.utcnow()
    image_id = image_id or str(uuid.uuid4())
    conn.execute(I.insert().values(
        id=image_id, name=name, status=status, is_public=is_public, owner=owner, size=size,
        min_disk=min_disk or 0, min_ram=min_ram or 0, disk_format=disk_format,
        container_format=container_format, created_at=now, updated_at=now, deleted=False))
    if props:
        conn.execute(P.insert(), [{'image_id': image_id, 'key': k, 'value': v} for k, v in props.items()])
    return conn.execute(sa.select(I).where(I.c.id == image_id)).mappings().one()


def exists(conn, image_id):
    """Whether any row (even a deleted one) has this id."""
    return conn.execute(sa.select(I.c.id).where(I.c.id == image_id)).first() is not None


def update_status(conn, image_id, status, size=None):
    """Set a live image's status (and size when given); False when there is no such live image."""
    values = {'status': status, 'updated_at': store_mod.utcnow()}
    if size is not None:
        values['size'] = size
    result = conn.execute(I.update().where(I.c.id == image_id).where(I.c.deleted == sa.false()).values(**values))
    return result.rowcount == 1


def soft_delete(conn, image_id):
    """Mark a live image deleted (one already deleted keeps its deleted_at)."""
    now = store_mod.utcnow()
    conn.execute(I.update().where(I.c.id == image_id).where(I.c.deleted == sa.false()).values(
        deleted=True, status='deleted', deleted_at=now, updated_at=now))


def replace_properties(conn, image_id, props):
    """Make the image's properties exactly `props`."""
    conn.execute(P.delete().where(P.c.image_id == image_id))
    if props:
        conn.execute(P.insert(), [{'image_id': image_id, 'key': k, 'value': v} for k, v in props.items()])
    conn.execute(I.update().where(I.c.id == image_id).values(updated_at=store_mod.utcnow()))


def lock(conn, image_id):
    """Lock a live image's row until the end of the transaction (SQLite's writer lock is global)."""
    query = sa.select(I.c.id).where(I.c.id == image_id).where(I.c.deleted == sa.false())
    if conn.dialect.name != 'sqlite':
        query = query.with_for_update()
    return conn.execute(query).first() is not None
