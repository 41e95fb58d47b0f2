"""GET /os-availability-zone (anyone) and /os-availability-zone/detail (admin)."""
from compute_api.api import wsgi
from compute_api.api.views import availability_zones as views
from compute_api.compute import inventory


def list_zones(req):
    req.services.authorize(req.context, 'os_compute_api:os-availability-zone:list')
    return wsgi.json_response(views.index(inventory.availability_zones(req.services.conf)))


def list_zones_detail(req):
    req.services.authorize(req.context, 'os_compute_api:os-availability-zone:detail')
    return wsgi.json_response(views.detail(inventory.availability_zones(req.services.conf)))
