"""GET /servers/{server_id}/diagnostics (nova's os-server-diagnostics at 2.1, admin only): the
driver's free-form figures, answered as they come."""
from compute_api.api import wsgi
from compute_api.compute import diagnostics as compute_diagnostics
from compute_api.compute import servers as compute_servers


def show_server_diagnostics(req):
    instance = compute_servers.get_instance(req.services.store, req.context, req.urlvars['server_id'])
    req.services.authorize(req.context, 'os_compute_api:os-server-diagnostics',
                           {'project_id': instance['project_id']})
    return wsgi.json_response(compute_diagnostics.get_diagnostics(req.services, instance))
