"""GET/POST /os-server-groups, GET/DELETE /os-server-groups/{group_id} (nova's os-server-groups).

Create answers 200 with the group; delete 204. ?all_projects lists every project's groups for
those the index:all_projects rule admits (others get their own, as nova); limit/offset page.
"""
from compute_api.api import common
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import server_groups as schemas
from compute_api.api.views import server_groups as views
from compute_api.compute import server_groups as compute_groups


def _all_projects(req):
    if 'all_projects' not in req.GET:
        return False
    return req.services.allows(req.context, 'os_compute_api:os-server-groups:index:all_projects')


def list_server_groups(req):
    req.services.authorize(req.context, 'os_compute_api:os-server-groups:index')
    limit, offset = common.limit_and_offset(req)
    groups = compute_groups.list_groups(req.services.store, req.context, _all_projects(req), limit, offset)
    return wsgi.json_response(views.index(groups))


def create_server_group(req):
    req.services.authorize(req.context, 'os_compute_api:os-server-groups:create')
    body = validation.validate_body(req, schemas.create)['server_group']
    group = compute_groups.create_group(req.services.store, req.services.conf, req.context, body['name'],
                                        body['policies'][0])
    return wsgi.json_response({'server_group': views.server_group(group)})


def show_server_group(req):
    group = compute_groups.get_group(req.services.store, req.context, req.urlvars['group_id'])
    req.services.authorize(req.context, 'os_compute_api:os-server-groups:show',
                           {'project_id': group['project_id'], 'user_id': group['user_id']})
    return wsgi.json_response({'server_group': views.server_group(group)})


def delete_server_group(req):
    context = req.context
    group = compute_groups.get_group(req.services.store, context, req.urlvars['group_id'])
    req.services.authorize(context, 'os_compute_api:os-server-groups:delete',
                           {'project_id': group['project_id'], 'user_id': group['user_id']})
    compute_groups.delete_group(req.services.store, context, group['uuid'])
    return wsgi.empty_response(204)
