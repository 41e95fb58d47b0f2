"""GET /servers/{server_id}/ips and /servers/{server_id}/ips/{network_label}: the server's
addresses per network, as {version, addr} (without the OS-EXT-IPS keys of the server document)."""
from compute_api import exception
from compute_api.api import wsgi
from compute_api.api.views import servers as views
from compute_api.compute import servers as compute_servers


def _server(req, rule):
    server = compute_servers.get_server(req.services.store, req.context, req.urlvars['server_id'])
    owner = server.instance
    req.services.authorize(req.context, rule, {'project_id': owner['project_id'], 'user_id': owner['user_id']})
    return server


def list_ips(req):
    server = _server(req, 'os_compute_api:ips:index')
    return wsgi.json_response({'addresses': views.addresses(server, extended=False)})


def show_ips(req):
    server = _server(req, 'os_compute_api:ips:show')
    label = req.urlvars['network_label']
    addresses = views.addresses(server, extended=False)
    if label not in addresses:
        raise exception.NetworkNotMember()
    return wsgi.json_response({label: addresses[label]})
