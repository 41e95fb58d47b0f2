"""GET /images, /images/detail, /images/{image_id}; DELETE /images/{image_id}.

nova's image proxy, served from our own image store: public images and the project's own are
visible (all of them to admins); anything else is a 404 like an unknown id. POST /images is a
405, as nova (images come from createImage or compute-api-manage image-create).
"""
from oslo_utils import timeutils

from compute_api import exception
from compute_api.api import common
from compute_api.api import wsgi
from compute_api.api.views import images as views
from compute_api.compute import images as compute_images


def _changes_since(req):
    raw = req.GET.get('changes-since')
    if raw is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(raw))
    except ValueError:
        raise exception.Invalid('Invalid changes-since value')


def _server_id(req):
    """?server= takes a server's URL or its id."""
    raw = req.GET.get('server')
    return raw.rstrip('/').rsplit('/', 1)[-1] if raw else None


def _list(req):
    req.services.authorize(req.context, 'os_compute_api:images:index')
    filters = compute_images.ListFilters(
        name=req.GET.get('name'),
        status=req.GET.get('status'),
        changes_since=_changes_since(req),
        server=_server_id(req),
        image_type=req.GET.get('type'),
        min_disk=common.int_param(req, 'minDisk', 'Invalid minDisk filter [%s]'),
        min_ram=common.int_param(req, 'minRam', 'Invalid minRam filter [%s]'),
    )
    limit, marker = common.limit_and_marker(req)
    return compute_images.list_images(req.services.store, req.context, filters, limit, marker), limit


def _collection(req, collection, images, limit, view):
    body = {'images': [view(req, image) for image in images]}
    page_links = common.next_links(req, collection, [image.row for image in images], limit)
    if page_links:
        body['images_links'] = page_links
    return wsgi.json_response(body)


def list_images(req):
    images, limit = _list(req)
    return _collection(req, 'images', images, limit, views.summary)


def list_images_detail(req):
    images, limit = _list(req)
    return _collection(req, 'images/detail', images, limit, views.detail)


def show_image(req):
    req.services.authorize(req.context, 'os_compute_api:images:show')
    image = compute_images.get_image(req.services.store, req.context, req.urlvars['image_id'])
    return wsgi.json_response({'image': views.detail(req, image)})


def delete_image(req):
    req.services.authorize(req.context, 'os_compute_api:images:delete')
    compute_images.delete_image(req.services.store, req.context, req.urlvars['image_id'])
    return wsgi.empty_response(204)
