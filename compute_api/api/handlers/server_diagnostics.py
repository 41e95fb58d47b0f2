"""GET /servers/{server_id}/diagnostics (nova's os-server-diagnostics at 2.1, admin only): the
driver's free-form figures, answered as they come."""
from compute_api.api import common
from compute_api.api import wsgi
from compute_api.compute import diagnostics as compute_diagnostics


def show_server_diagnostics(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-server-diagnostics', target=common.server_project)
    return wsgi.json_response(compute_diagnostics.get_diagnostics(req.services, instance))
