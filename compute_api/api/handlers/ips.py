"""GET /servers/{server_id}/ips and /servers/{server_id}/ips/{network_label}: the server's
addresses per network, as {version, addr} (without the OS-EXT-IPS keys of the server document)."""
from compute_api import exception
from compute_api.api import common
from compute_api.api import wsgi
from compute_api.api.views import servers as views


def list_ips(req):
    server = common.authorized_server(req, 'os_compute_api:ips:index')
    return wsgi.json_response({'addresses': views.addresses(server, extended=False)})


def show_ips(req):
    server = common.authorized_server(req, 'os_compute_api:ips:show')
    label = req.urlvars['network_label']
    addresses = views.addresses(server, extended=False)
    if label not in addresses:
        raise exception.NetworkNotMember()
    return wsgi.json_response({label: addresses[label]})
