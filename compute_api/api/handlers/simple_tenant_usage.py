"""GET /os-simple-tenant-usage (admin: every project) and /os-simple-tenant-usage/{tenant_id}
(the project's readers), over ?start=&end= (default: now), as nova 2.1; ?detailed=1 adds the
per-server usages to the list."""
from compute_api.api import wsgi
from compute_api.api.views import usage as views
from compute_api.compute import usage as compute_usage


def _first(req, name):
    values = req.GET.getall(name)
    return values[0] if values else None


def list_tenant_usages(req):
    req.services.authorize(req.context, 'os_compute_api:os-simple-tenant-usage:list')
    start, stop = compute_usage.period(_first(req, 'start'), _first(req, 'end'))
    usages = compute_usage.tenant_usages(req.services.store, start, stop, detailed=_first(req, 'detailed') == '1')
    return wsgi.json_response(views.index(usages))


def show_tenant_usage(req):
    tenant_id = req.urlvars['tenant_id']
    req.services.authorize(req.context, 'os_compute_api:os-simple-tenant-usage:show',
                           {'project_id': tenant_id, 'user_id': req.context.user_id})
    start, stop = compute_usage.period(_first(req, 'start'), _first(req, 'end'))
    usages = compute_usage.tenant_usages(req.services.store, start, stop, project_id=tenant_id)
    return wsgi.json_response(views.show(usages))
