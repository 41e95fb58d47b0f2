"""GET /os-floating-ip-pools (nova's os-floating-ip-pools at 2.1, open to any caller).

nova answers with the external networks Neutron has. This deployment has no Neutron and no
floating IPs (every server gets fixed addresses only), so there is no pool: the list is empty.
"""
from compute_api.api import wsgi


def list_floating_ip_pools(req):
    req.services.authorize(req.context, 'os_compute_api:os-floating-ip-pools')
    return wsgi.json_response({'floating_ip_pools': []})
