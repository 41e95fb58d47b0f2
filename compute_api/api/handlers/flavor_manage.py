"""POST /flavors and DELETE /flavors/{flavor_id} (admin; nova's os-flavor-manage).

A create without an id gets a UUID; a taken id or name is a 409. The answer is the flavor's
detail document (200); a delete is a 202. Servers keep the flavor they were built with.
"""
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import flavors as schemas
from compute_api.api.views import flavors as views
from compute_api.compute import flavors as compute_flavors


def create_flavor(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-manage:create')
    body = validation.validate_body(req, schemas.create)['flavor']
    flavor = compute_flavors.create_flavor(
        req.services.store, body['name'], flavorid=body.get('id'),
        sizes={'ram': body['ram'], 'vcpus': body['vcpus'], 'disk': body['disk'],
               'ephemeral': body.get('OS-FLV-EXT-DATA:ephemeral', 0), 'swap': body.get('swap', 0)},
        rxtx_factor=body.get('rxtx_factor', 1.0), is_public=body.get('os-flavor-access:is_public', True))
    return wsgi.json_response({'flavor': views.detail(req, flavor)})


def delete_flavor(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-manage:delete')
    compute_flavors.delete_flavor(req.services.store, req.urlvars['flavor_id'])
    return wsgi.empty_response(202)
