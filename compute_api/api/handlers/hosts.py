"""/os-hosts (nova's legacy Hosts extension, still in 2.1; admin only): the hosts, one host's
resources, its status/maintenance switches and power actions (GET, as nova routes them)."""
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import hosts as schemas
from compute_api.compute import os_hosts


def _authorize(req, action):
    req.services.authorize(req.context, 'os_compute_api:os-hosts:%s' % action)


def list_hosts(req):
    _authorize(req, 'list')
    return wsgi.json_response({'hosts': os_hosts.list_hosts(req.services.conf, req.GET.get('zone'))})


def show_host(req):
    _authorize(req, 'show')
    services = req.services
    found = os_hosts.resources(services.store, services.conf, services.driver, req.urlvars['host_name'])
    return wsgi.json_response({'host': [{'resource': resource} for resource in found]})


def update_host(req):
    _authorize(req, 'update')
    body = validation.validate_body(req, schemas.update)
    lowered = {key: value.lower() for key, value in body.items()}
    return wsgi.json_response(os_hosts.update(req.services.conf, req.services.driver, req.urlvars['host_name'],
                                              **lowered))


def _power(req, action, rule):
    _authorize(req, rule)
    return wsgi.json_response(os_hosts.power_action(req.services.conf, req.services.driver,
                                                    req.urlvars['host_name'], action))


def startup_host(req):
    return _power(req, 'startup', 'start')


def shutdown_host(req):
    return _power(req, 'shutdown', 'shutdown')


def reboot_host(req):
    return _power(req, 'reboot', 'reboot')
