"""Flavor rules: who sees which flavor."""
from compute_api import exception
from compute_api.db import flavors as db_flavors


def get_flavor(store, context, flavorid):
    """A flavor the caller may see (private ones only with access, or as admin)."""
    with store.read() as conn:
        flavor = db_flavors.get_by_flavorid(conn, flavorid, context.project_id, context.is_admin)
    if flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return flavor


def list_flavors(store, context, is_public, min_ram, min_disk, sort_key, sort_dir, limit, marker):
    """Non-admins always get the public flavors plus the private ones shared with their project,
    never disabled ones; `is_public` (True/False/None = all) is honoured for admins only."""
    if not context.is_admin:
        is_public, disabled = True, False
    else:
        disabled = None
    with store.read() as conn:
        rows = db_flavors.list_flavors(conn, context.project_id, is_public=is_public, disabled=disabled,
                                       min_ram=min_ram, min_disk=min_disk, sort_key=sort_key,
                                       sort_dir=sort_dir, limit=limit, marker=marker)
    if rows is None:
        raise exception.MarkerNotFound(marker=marker)
    return rows
