"""GET /flavors/{flavor_id}/os-flavor-access and POST /flavors/{flavor_id}/action with
addTenantAccess / removeTenantAccess (admin; nova's os-flavor-access).

A private flavor is seen (and booted) only by the projects on its access list, and by admins.
Public flavors have no access list (404); from 2.7 adding access to one is a 409. Every answer
is the resulting access list.
"""
from compute_api.api import common
from compute_api.api import microversion
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import flavors as schemas
from compute_api.api.views import flavors as views
from compute_api.compute import flavors as compute_flavors


def list_flavor_access(req):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-access')
    flavorid = req.urlvars['flavor_id']
    projects = compute_flavors.list_access(req.services.store, req.context, flavorid)
    return wsgi.json_response(views.access(flavorid, projects))


def _add_tenant_access(req, flavorid):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-access:add_tenant_access')
    tenant = validation.validate_body(req, schemas.add_tenant_access)['addTenantAccess']['tenant']
    return compute_flavors.add_access(req.services.store, req.context, flavorid, tenant,
                                      refuse_public=req.supports(microversion.PUBLIC_FLAVOR_ACCESS_CONFLICT))


def _remove_tenant_access(req, flavorid):
    req.services.authorize(req.context, 'os_compute_api:os-flavor-access:remove_tenant_access')
    tenant = validation.validate_body(req, schemas.remove_tenant_access)['removeTenantAccess']['tenant']
    return compute_flavors.remove_access(req.services.store, req.context, flavorid, tenant)


ACTIONS = {'addTenantAccess': _add_tenant_access, 'removeTenantAccess': _remove_tenant_access}


def flavor_action(req):
    handler = common.action_handler(req, ACTIONS)
    flavorid = req.urlvars['flavor_id']
    projects = handler(req, flavorid)
    return wsgi.json_response(views.access(flavorid, projects))
