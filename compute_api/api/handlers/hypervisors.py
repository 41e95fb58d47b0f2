"""os-hypervisors (admin): the one node this deployment drives, as nova 2.1 shows compute nodes.

GET /os-hypervisors, /detail, /statistics, /{hypervisor_id}, /{hypervisor_id}/uptime, and by
hostname substring /{pattern}/search and /{pattern}/servers.
"""
from compute_api.api import wsgi
from compute_api.api.views import hypervisors as views
from compute_api.compute import inventory


def _services(req, action):
    req.services.authorize(req.context, 'os_compute_api:os-hypervisors:%s' % action)
    return req.services.store, req.services.conf, req.services.driver


def list_hypervisors(req):
    nodes = inventory.list_hypervisors(*_services(req, 'list'))
    return wsgi.json_response({'hypervisors': [views.summary(node) for node in nodes]})


def list_hypervisors_detail(req):
    nodes = inventory.list_hypervisors(*_services(req, 'list-detail'))
    return wsgi.json_response({'hypervisors': [views.detail(node) for node in nodes]})


def show_statistics(req):
    return wsgi.json_response({'hypervisor_statistics': inventory.statistics(*_services(req, 'statistics'))})


def show_hypervisor(req):
    node = inventory.get_hypervisor(*_services(req, 'show'), req.urlvars['hypervisor_id'])
    return wsgi.json_response({'hypervisor': views.detail(node)})


def show_uptime(req):
    node, uptime = inventory.uptime(*_services(req, 'uptime'), req.urlvars['hypervisor_id'])
    return wsgi.json_response({'hypervisor': views.with_uptime(node, uptime)})


def search_hypervisors(req):
    nodes = inventory.search_hypervisors(*_services(req, 'search'), req.urlvars['hostname_pattern'])
    return wsgi.json_response({'hypervisors': [views.summary(node) for node in nodes]})


def list_hypervisor_servers(req):
    store, conf, driver = _services(req, 'servers')
    nodes = inventory.search_hypervisors(store, conf, driver, req.urlvars['hostname_pattern'])
    return wsgi.json_response({'hypervisors': [views.with_servers(node, inventory.servers_of(store, node))
                                              for node in nodes]})
