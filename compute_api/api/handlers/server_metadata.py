"""GET/POST/PUT /servers/{server_id}/metadata and GET/PUT/DELETE .../metadata/{key}.

Another project's server is a 404 like an unknown id (the lookup is scoped before the policy
check, whose target is the server's owner; the body is validated after both). POST merges,
PUT replaces everything; both answer the whole resulting metadata.
"""
from compute_api import exception
from compute_api.api import common
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import server_metadata as schemas
from compute_api.compute import server_metadata


def list_metadata(req):
    instance = common.authorized_instance(req, 'os_compute_api:server-metadata:index')
    return wsgi.json_response({'metadata': server_metadata.list_items(req.services.store, instance)})


def show_metadata_item(req):
    instance = common.authorized_instance(req, 'os_compute_api:server-metadata:show')
    key = req.urlvars['key']
    return wsgi.json_response({'meta': {key: server_metadata.get_item(req.services.store, instance, key)}})


def create_metadata(req):
    instance = common.authorized_instance(req, 'os_compute_api:server-metadata:create')
    body = validation.validate_body(req, schemas.metadata)
    result = server_metadata.update(req.services, req.context, instance, body['metadata'])
    return wsgi.json_response({'metadata': result})


def replace_metadata(req):
    instance = common.authorized_instance(req, 'os_compute_api:server-metadata:update_all')
    body = validation.validate_body(req, schemas.metadata)
    result = server_metadata.update(req.services, req.context, instance, body['metadata'], replace=True)
    return wsgi.json_response({'metadata': result})


def update_metadata_item(req):
    instance = common.authorized_instance(req, 'os_compute_api:server-metadata:update')
    body = validation.validate_body(req, schemas.meta_item)
    key = req.urlvars['key']
    item = body['meta']
    if key not in item:
        raise exception.Invalid('Request body and URI mismatch')
    if len(item) > 1:
        raise exception.Invalid('Request body contains too many items')
    server_metadata.update(req.services, req.context, instance, item)
    return wsgi.json_response({'meta': item})


def delete_metadata_item(req):
    instance = common.authorized_instance(req, 'os_compute_api:server-metadata:delete')
    server_metadata.delete_item(req.services, req.context, instance, req.urlvars['key'])
    return wsgi.empty_response(204)
