"""/flavors/{flavor_id}/os-extra_specs[/{key}] (nova's os-flavor-extra-specs).

Readers of a flavor read its extra specs; admins change them. POST adds or overwrites and echoes
the request's extra_specs; PUT /{key} takes exactly that one key; DELETE answers 200, as nova.
"""
from compute_api import exception
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import flavors as schemas
from compute_api.compute import flavors as compute_flavors


def list_extra_specs(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-extra-specs:index')
    specs = compute_flavors.get_extra_specs(req.services.store, req.context, req.urlvars['flavor_id'])
    return wsgi.json_response({'extra_specs': specs})


def create_extra_specs(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-extra-specs:create')
    body = validation.validate_body(req, schemas.extra_specs_create)
    compute_flavors.set_extra_specs(req.services.store, req.context, req.urlvars['flavor_id'],
                                    body['extra_specs'])
    return wsgi.json_response(body)


def show_extra_spec(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-extra-specs:show')
    key = req.urlvars['key']
    value = compute_flavors.get_extra_spec(req.services.store, req.context, req.urlvars['flavor_id'], key)
    return wsgi.json_response({key: value})


def update_extra_spec(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-extra-specs:update')
    body = validation.validate_body(req, schemas.extra_spec_update)
    if req.urlvars['key'] not in body:
        raise exception.Invalid('Request body and URI mismatch')
    compute_flavors.set_extra_specs(req.services.store, req.context, req.urlvars['flavor_id'], body)
    return wsgi.json_response(body)


def delete_extra_spec(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-extra-specs:delete')
    compute_flavors.delete_extra_spec(req.services.store, req.context, req.urlvars['flavor_id'],
                                      req.urlvars['key'])
    return wsgi.empty_response(200)
