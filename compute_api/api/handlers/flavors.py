"""GET /flavors, /flavors/detail, /flavors/{flavor_id}."""
from compute_api import exception
from compute_api.api import common
from compute_api.api import wsgi
from compute_api.api.views import flavors as views
from compute_api.compute import flavors as compute_flavors
from compute_api.db import flavors as db_flavors


def _is_public_param(req):
    """Admins: true/false filter, 'none' lists all; absent means public (plus shared) flavors."""
    raw = req.GET.get('is_public')
    if raw is None:
        return True
    if raw.strip().lower() == 'none':
        return None
    try:
        return common.bool_from_string(raw, strict=True)
    except ValueError:
        raise exception.Invalid('Invalid is_public filter [%s]' % raw)


def _list(req):
    req.services.authorize(req.context, 'os_compute_api:flavors')
    min_ram = common.int_param(req, 'minRam', 'Invalid minRam filter [%s]')
    min_disk = common.int_param(req, 'minDisk', 'Invalid minDisk filter [%s]')
    sort_key, sort_dir = common.sort_param(req, db_flavors.SORT_KEYS, 'flavorid', 'asc', 'flavor')
    limit, marker = common.limit_and_marker(req)
    # As nova: only an admin's is_public is read; anyone else's is ignored, whatever its value.
    is_public = _is_public_param(req) if req.context.is_admin else True
    rows = compute_flavors.list_flavors(req.services.store, req.context, is_public, min_ram,
                                        min_disk, sort_key, sort_dir, limit, marker)
    return rows, limit


def list_flavors(req):
    rows, limit = _list(req)
    body = {'flavors': [views.summary(req, row) for row in rows]}
    page_links = common.next_links(req, 'flavors', rows, limit, id_key='flavorid')
    if page_links:
        body['flavors_links'] = page_links
    return wsgi.json_response(body)


def list_flavors_detail(req):
    rows, limit = _list(req)
    body = {'flavors': [views.detail(req, row) for row in rows]}
    page_links = common.next_links(req, 'flavors/detail', rows, limit, id_key='flavorid')
    if page_links:
        body['flavors_links'] = page_links
    return wsgi.json_response(body)


def show_flavor(req):
    req.services.authorize(req.context, 'os_compute_api:flavors')
    flavor = compute_flavors.get_flavor(req.services.store, req.context, req.urlvars['flavor_id'])
    return wsgi.json_response({'flavor': views.detail(req, flavor)})
