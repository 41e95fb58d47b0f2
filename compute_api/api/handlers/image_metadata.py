"""GET/POST/PUT /images/{image_id}/metadata and GET/PUT/DELETE .../metadata/{key}.

The metadata is the image's properties. POST merges, PUT replaces everything; both answer the
whole resulting metadata and count against [quota] metadata_items (403 "Image metadata limit
exceeded"). Only the image's owner (or an admin) changes it. GET .../metadata pages with
limit/marker (marker: the last key seen) and a metadata_links next link.
"""
from compute_api import exception
from compute_api.api import common
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import images as schemas
from compute_api.compute import images as compute_images


def _legacy_key_check(req, metadata):
    """nova's legacy v2 key checks (v2.1's schema holds them)."""
    if not req.legacy_v2:
        return
    for key in metadata:
        if not key:
            raise exception.Invalid('Image metadata key cannot be blank')
        if len(key) > 255:
            raise exception.Invalid('Image metadata key too long')


def _visible_image(req, rule):
    """The policy check, then the image lookup: an image the caller cannot see is a 404 whatever
    the body holds."""
    req.services.authorize(req.context, rule)
    return compute_images.get_image(req.services.store, req.context, req.urlvars['image_id'])


def list_metadata(req):
    req.services.authorize(req.context, 'os_compute_api:image-metadata:index')
    image_id = req.urlvars['image_id']
    limit, marker = common.limit_and_marker(req)
    metadata = compute_images.get_metadata(req.services.store, req.context, image_id)
    keys = sorted(metadata)
    if marker is not None:
        if marker not in metadata:
            raise exception.MarkerNotFound(marker=marker)
        keys = keys[keys.index(marker) + 1:]
    keys = keys[:limit]
    body = {'metadata': {key: metadata[key] for key in keys}}
    page_links = common.next_links(req, 'images/%s/metadata' % image_id, [{'key': k} for k in keys], limit,
                                   id_key='key')
    if page_links:
        body['metadata_links'] = page_links
    return wsgi.json_response(body)


def show_metadata_item(req):
    req.services.authorize(req.context, 'os_compute_api:image-metadata:show')
    key = req.urlvars['key']
    metadata = compute_images.get_metadata(req.services.store, req.context, req.urlvars['image_id'])
    if key not in metadata:
        raise exception.NotFound('The resource could not be found.')
    return wsgi.json_response({'meta': {key: metadata[key]}})


def create_metadata(req):
    _visible_image(req, 'os_compute_api:image-metadata:create')
    body = validation.validate_body(req, schemas.metadata)
    _legacy_key_check(req, body['metadata'])
    result = compute_images.merge_metadata(req.services.store, req.services.conf, req.context,
                                           req.urlvars['image_id'], body['metadata'])
    return wsgi.json_response({'metadata': result})


def replace_metadata(req):
    _visible_image(req, 'os_compute_api:image-metadata:update_all')
    body = validation.validate_body(req, schemas.metadata)
    _legacy_key_check(req, body['metadata'])
    result = compute_images.replace_metadata(req.services.store, req.services.conf, req.context,
                                             req.urlvars['image_id'], body['metadata'])
    return wsgi.json_response({'metadata': result})


def update_metadata_item(req):
    _visible_image(req, 'os_compute_api:image-metadata:update')
    body = validation.validate_body(req, schemas.meta_item)
    key = req.urlvars['key']
    item = body['meta']
    if key not in item:
        raise exception.Invalid('Request body and URI mismatch')
    if len(item) > 1:
        raise exception.Invalid('Request body contains too many items')
    compute_images.merge_metadata(req.services.store, req.services.conf, req.context, req.urlvars['image_id'],
                                  item)
    return wsgi.json_response({'meta': item})


def delete_metadata_item(req):
    req.services.authorize(req.context, 'os_compute_api:image-metadata:delete')
    compute_images.delete_metadata_item(req.services.store, req.services.conf, req.context,
                                        req.urlvars['image_id'], req.urlvars['key'])
    return wsgi.empty_response(204)
