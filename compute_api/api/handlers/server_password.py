"""GET/DELETE /servers/{server_id}/os-server-password (nova's os-server-password).

nova keeps the password a guest posted, encrypted with its key pair, to its metadata service.
There is no metadata service here, so no guest ever posts one: the password is always "" and
clearing it has nothing to remove.
"""
from compute_api.api import wsgi
from compute_api.compute import servers as compute_servers


def _lookup(req, rule):
    instance = compute_servers.get_instance(req.services.store, req.context, req.urlvars['server_id'])
    req.services.authorize(req.context, rule, {'project_id': instance['project_id'],
                                               'user_id': instance['user_id']})
    return instance


def show_server_password(req):
    _lookup(req, 'os_compute_api:os-server-password:show')
    return wsgi.json_response({'password': ''})


def clear_server_password(req):
    _lookup(req, 'os_compute_api:os-server-password:clear')
    return wsgi.empty_response(204)
