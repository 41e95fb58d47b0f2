"""/os-security-groups, /os-security-group-rules and GET /servers/{server_id}/os-security-groups
(nova's os-security-groups at 2.1, as nova-network served them: integer ids).

nova validates these bodies by hand rather than with a JSON schema, so do we, with its
messages: an empty body is "The request body can't be empty", a missing resource key "Missing
parameter <key>". Group and rule creates answer 200, deletes 202. The server actions
addSecurityGroup and removeSecurityGroup live with the other actions (server_actions.py).
"""
from compute_api import exception
from compute_api.api import common
from compute_api.api import wsgi
from compute_api.api.views import security_groups as views
from compute_api.compute import security_groups as compute_groups


def from_body(req, key):
    """The object under `key` in the request body, checked as nova does."""
    body = req.json_body()
    if not body:
        raise exception.Invalid("The request body can't be empty")
    if not isinstance(body, dict):
        raise exception.MalformedRequestBody()
    value = body.get(key)
    if value is None:
        raise exception.Invalid('Missing parameter %s' % key)
    if not isinstance(value, dict):
        raise exception.MalformedRequestBody()
    return value


def _authorize(req, action, owner=None):
    context = req.context
    req.services.authorize(context, 'os_compute_api:os-security-groups:%s' % action,
                           {'project_id': owner or context.project_id})
    return context


def list_security_groups(req):
    context = _authorize(req, 'get')
    all_projects = context.is_admin and 'all_tenants' in req.GET
    limit, offset = common.limit_and_offset(req)
    groups = compute_groups.list_groups(req.services.store, context, all_projects)
    document = views.index(groups)
    document['security_groups'] = document['security_groups'][offset:offset + limit]
    return wsgi.json_response(document)


def create_security_group(req):
    context = _authorize(req, 'create')
    body = from_body(req, 'security_group')
    group = compute_groups.create_group(req.services.store, req.services.conf, context, body.get('name'),
                                        body.get('description'))
    return wsgi.json_response({'security_group': views.security_group(group)})


def show_security_group(req):
    group = compute_groups.get_group(req.services.store, req.context, req.urlvars['security_group_id'])
    _authorize(req, 'show', group['project_id'])
    return wsgi.json_response({'security_group': views.security_group(group)})


def update_security_group(req):
    group = compute_groups.get_group(req.services.store, req.context, req.urlvars['security_group_id'])
    context = _authorize(req, 'update', group['project_id'])
    body = from_body(req, 'security_group')
    group = compute_groups.update_group(req.services.store, context, group['id'], body.get('name'),
                                        body.get('description'))
    return wsgi.json_response({'security_group': views.security_group(group)})


def delete_security_group(req):
    group = compute_groups.get_group(req.services.store, req.context, req.urlvars['security_group_id'])
    context = _authorize(req, 'delete', group['project_id'])
    compute_groups.delete_group(req.services.store, context, group['id'])
    return wsgi.empty_response(202)


def create_security_group_rule(req):
    context = _authorize(req, 'rule:create')
    body = from_body(req, 'security_group_rule')
    rule = compute_groups.create_rule(req.services.store, req.services.conf, context, body.get('parent_group_id'),
                                      body.get('ip_protocol'), body.get('from_port'), body.get('to_port'),
                                      body.get('cidr'), body.get('group_id'))
    return wsgi.json_response({'security_group_rule': views.rule(rule)})


def delete_security_group_rule(req):
    context = _authorize(req, 'rule:delete')
    compute_groups.delete_rule(req.services.store, context, req.urlvars['security_group_rule_id'])
    return wsgi.empty_response(202)


def list_server_security_groups(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-security-groups:list', target=common.server_project)
    groups = compute_groups.server_groups(req.services.store, instance)
    return wsgi.json_response(views.index(groups))
