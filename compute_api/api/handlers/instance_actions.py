"""GET /servers/{server_id}/os-instance-actions and /os-instance-actions/{request_id}: the
actions taken on a server, newest first (nova's os-instance-actions at 2.1). Events are shown
to those os-instance-actions:events allows (administrators)."""
from compute_api.api import wsgi
from compute_api.api.views import server_actions as views
from compute_api.compute import server_actions as compute
from compute_api.compute import servers as compute_servers


def _lookup(req, rule):
    instance = compute_servers.get_instance(req.services.store, req.context, req.urlvars['server_id'])
    req.services.authorize(req.context, rule, {'project_id': instance['project_id'],
                                               'user_id': instance['user_id']})
    return instance


def list_instance_actions(req):
    instance = _lookup(req, 'os_compute_api:os-instance-actions:list')
    actions = compute.list_actions(req.services.store, instance)
    return wsgi.json_response({'instanceActions': [views.instance_action(action) for action in actions]})


def show_instance_action(req):
    instance = _lookup(req, 'os_compute_api:os-instance-actions:show')
    action = compute.get_action(req.services.store, instance, req.urlvars['request_id'])
    with_events = req.services.allows(req.context, 'os_compute_api:os-instance-actions:events',
                                      {'project_id': instance['project_id'], 'user_id': instance['user_id']})
    return wsgi.json_response({'instanceAction': views.instance_action(action, with_events=with_events)})
