"""GET/DELETE /servers/{server_id}/os-server-password (nova's os-server-password).

nova keeps the password a guest posted, encrypted with its key pair, to its metadata service.
There is no metadata service here, so no guest ever posts one: the password is always "" and
clearing it has nothing to remove.
"""
from compute_api.api import common
from compute_api.api import wsgi


def show_server_password(req):
    common.authorized_instance(req, 'os_compute_api:os-server-password:show')
    return wsgi.json_response({'password': ''})


def clear_server_password(req):
    common.authorized_instance(req, 'os_compute_api:os-server-password:clear')
    return wsgi.empty_response(204)
