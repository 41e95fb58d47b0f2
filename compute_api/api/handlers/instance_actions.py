"""GET /servers/{server_id}/os-instance-actions and /os-instance-actions/{request_id}: the
actions taken on a server, newest first (nova's os-instance-actions at 2.1). Events are shown
to those os-instance-actions:events allows (administrators)."""
from compute_api.api import common
from compute_api.api import wsgi
from compute_api.api.views import server_actions as views
from compute_api.compute import server_actions as compute


def list_instance_actions(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-instance-actions:list')
    actions = compute.list_actions(req.services.store, instance)
    return wsgi.json_response({'instanceActions': [views.instance_action(action) for action in actions]})


def show_instance_action(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-instance-actions:show')
    action = compute.get_action(req.services.store, instance, req.urlvars['request_id'])
    with_events = req.services.allows(req.context, 'os_compute_api:os-instance-actions:events',
                                      common.server_owner(instance))
    return wsgi.json_response({'instanceAction': views.instance_action(action, with_events=with_events)})
