"""GET /os-services (admin): the compute services, filtered by ?host and ?binary (nova 2.1)."""
from compute_api.api import wsgi
from compute_api.api.views import services as views
from compute_api.compute import inventory


def list_services(req):
    req.services.authorize(req.context, 'os_compute_api:os-services:list')
    records = inventory.list_services(req.services.conf, req.GET.get('host'), req.GET.get('binary'))
    return wsgi.json_response({'services': [views.service(record) for record in records]})
