"""The route table, and the WSGI app that dispatches to one handler per (path, method).

Every path is served under /v2/{project_id} and /v2.1/{project_id}, and also without the
project on /v2.1. A known path with another method is 405 with Allow; an unknown path is 404;
a URL project that is not the caller's is 400, as nova.
"""
import logging

import routes
import webob.exc

from compute_api import exception
from compute_api.api import faults
from compute_api.api import wsgi
from compute_api.api.handlers import availability_zones
from compute_api.api.handlers import console_auth_tokens
from compute_api.api.handlers import extensions
from compute_api.api.handlers import flavor_access
from compute_api.api.handlers import flavor_extra_specs
from compute_api.api.handlers import flavor_manage
from compute_api.api.handlers import flavors
from compute_api.api.handlers import image_metadata
from compute_api.api.handlers import images
from compute_api.api.handlers import keypairs
from compute_api.api.handlers import limits
from compute_api.api.handlers import quota_sets
from compute_api.api.handlers import server_groups
from compute_api.api.handlers import hypervisors
from compute_api.api.handlers import os_services
from compute_api.api.handlers import simple_tenant_usage
from compute_api.api.handlers import security_groups
from compute_api.api.handlers import aggregates
from compute_api.api.handlers import hosts
from compute_api.api.handlers import floating_ip_pools
from compute_api.api.handlers import ips
from compute_api.api.handlers import server_metadata
from compute_api.api.handlers import server_actions
from compute_api.api.handlers import remote_consoles
from compute_api.api.handlers import instance_actions
from compute_api.api.handlers import instance_usage_audit_log
from compute_api.api.handlers import migrations
from compute_api.api.handlers import server_diagnostics
from compute_api.api.handlers import server_external_events
from compute_api.api.handlers import server_password
from compute_api.api.handlers import servers

LOG = logging.getLogger(__name__)

# (path, {method: handler}). One entry per path; handlers are plain functions of the request.
ROUTES = [
    ('/extensions', {'GET': extensions.list_extensions}),
    ('/extensions/{alias}', {'GET': extensions.show_extension}),
    ('/flavors', {'GET': flavors.list_flavors, 'POST': flavor_manage.create_flavor}),
    ('/flavors/detail', {'GET': flavors.list_flavors_detail}),
    ('/flavors/{flavor_id}', {'GET': flavors.show_flavor, 'DELETE': flavor_manage.delete_flavor}),
    ('/flavors/{flavor_id}/action', {'POST': flavor_access.flavor_action}),
    ('/flavors/{flavor_id}/os-flavor-access', {'GET': flavor_access.list_flavor_access}),
    ('/flavors/{flavor_id}/os-extra_specs', {'GET': flavor_extra_specs.list_extra_specs,
                                             'POST': flavor_extra_specs.create_extra_specs}),
    ('/flavors/{flavor_id}/os-extra_specs/{key}', {'GET': flavor_extra_specs.show_extra_spec,
                                                   'PUT': flavor_extra_specs.update_extra_spec,
                                                   'DELETE': flavor_extra_specs.delete_extra_spec}),
    ('/images', {'GET': images.list_images}),
    ('/images/detail', {'GET': images.list_images_detail}),
    ('/images/{image_id}', {'GET': images.show_image, 'DELETE': images.delete_image}),
    ('/images/{image_id}/metadata', {'GET': image_metadata.list_metadata, 'POST': image_metadata.create_metadata,
                                     'PUT': image_metadata.replace_metadata}),
    ('/images/{image_id}/metadata/{key}', {'GET': image_metadata.show_metadata_item,
                                           'PUT': image_metadata.update_metadata_item,
                                           'DELETE': image_metadata.delete_metadata_item}),
    ('/os-keypairs', {'GET': keypairs.list_keypairs, 'POST': keypairs.create_keypair}),
    ('/os-keypairs/{keypair_name}', {'GET': keypairs.show_keypair, 'DELETE': keypairs.delete_keypair}),
    ('/limits', {'GET': limits.show_limits}),
    ('/os-quota-sets/{tenant_id}', {'GET': quota_sets.show_quota_set, 'PUT': quota_sets.update_quota_set,
                                    'DELETE': quota_sets.delete_quota_set}),
    ('/os-quota-sets/{tenant_id}/detail', {'GET': quota_sets.show_quota_set_detail}),
    ('/os-quota-sets/{tenant_id}/defaults', {'GET': quota_sets.show_quota_set_defaults}),
    ('/os-quota-class-sets/{class_name}', {'GET': quota_sets.show_quota_class_set,
                                           'PUT': quota_sets.update_quota_class_set}),
    ('/os-availability-zone', {'GET': availability_zones.list_zones}),
    ('/os-availability-zone/detail', {'GET': availability_zones.list_zones_detail}),
    ('/os-server-groups', {'GET': server_groups.list_server_groups, 'POST': server_groups.create_server_group}),
    ('/os-server-groups/{group_id}', {'GET': server_groups.show_server_group,
                                     'DELETE': server_groups.delete_server_group}),
    ('/os-hypervisors', {'GET': hypervisors.list_hypervisors}),
    ('/os-hypervisors/detail', {'GET': hypervisors.list_hypervisors_detail}),
    ('/os-hypervisors/statistics', {'GET': hypervisors.show_statistics}),
    ('/os-hypervisors/{hypervisor_id}', {'GET': hypervisors.show_hypervisor}),
    ('/os-hypervisors/{hypervisor_id}/uptime', {'GET': hypervisors.show_uptime}),
    ('/os-hypervisors/{hostname_pattern}/search', {'GET': hypervisors.search_hypervisors}),
    ('/os-hypervisors/{hostname_pattern}/servers', {'GET': hypervisors.list_hypervisor_servers}),
    ('/os-services', {'GET': os_services.list_services}),
    ('/os-simple-tenant-usage', {'GET': simple_tenant_usage.list_tenant_usages}),
    ('/os-simple-tenant-usage/{tenant_id}', {'GET': simple_tenant_usage.show_tenant_usage}),
    ('/os-instance_usage_audit_log', {'GET': instance_usage_audit_log.list_audit_logs}),
    ('/os-instance_usage_audit_log/{before_timestamp}', {'GET': instance_usage_audit_log.show_audit_log}),
    ('/os-security-groups', {'GET': security_groups.list_security_groups,
                             'POST': security_groups.create_security_group}),
    ('/os-security-groups/{security_group_id}', {'GET': security_groups.show_security_group,
                                                 'PUT': security_groups.update_security_group,
                                                 'DELETE': security_groups.delete_security_group}),
    ('/os-security-group-rules', {'POST': security_groups.create_security_group_rule}),
    ('/os-security-group-rules/{security_group_rule_id}', {'DELETE': security_groups.delete_security_group_rule}),
    ('/servers/{server_id}/os-security-groups', {'GET': security_groups.list_server_security_groups}),
    ('/os-aggregates', {'GET': aggregates.list_aggregates, 'POST': aggregates.create_aggregate}),
    ('/os-aggregates/{aggregate_id}', {'GET': aggregates.show_aggregate, 'PUT': aggregates.update_aggregate,
                                       'DELETE': aggregates.delete_aggregate}),
    ('/os-aggregates/{aggregate_id}/action', {'POST': aggregates.aggregate_action}),
    ('/os-hosts', {'GET': hosts.list_hosts}),
    ('/os-hosts/{host_name}', {'GET': hosts.show_host, 'PUT': hosts.update_host}),
    ('/os-hosts/{host_name}/startup', {'GET': hosts.startup_host}),
    ('/os-hosts/{host_name}/shutdown', {'GET': hosts.shutdown_host}),
    ('/os-hosts/{host_name}/reboot', {'GET': hosts.reboot_host}),
    ('/os-floating-ip-pools', {'GET': floating_ip_pools.list_floating_ip_pools}),
    ('/servers', {'GET': servers.list_servers, 'POST': servers.create_server}),
    ('/servers/detail', {'GET': servers.list_servers_detail}),
    ('/servers/{server_id}', {'GET': servers.show_server, 'PUT': servers.update_server,
                              'DELETE': servers.delete_server}),
    ('/servers/{server_id}/action', {'POST': server_actions.server_action}),
    ('/servers/{server_id}/remote-consoles', {'POST': remote_consoles.create_remote_console}),
    ('/os-console-auth-tokens/{token}', {'GET': console_auth_tokens.show_console_auth_token}),
    ('/servers/{server_id}/os-instance-actions', {'GET': instance_actions.list_instance_actions}),
    ('/os-migrations', {'GET': migrations.list_migrations}),
    ('/os-server-external-events', {'POST': server_external_events.create_server_external_events}),
    ('/servers/{server_id}/os-server-password', {'GET': server_password.show_server_password,
                                                 'DELETE': server_password.clear_server_password}),
    ('/servers/{server_id}/os-instance-actions/{request_id}', {'GET': instance_actions.show_instance_action}),
    ('/servers/{server_id}/diagnostics', {'GET': server_diagnostics.show_server_diagnostics}),
    ('/servers/{server_id}/ips', {'GET': ips.list_ips}),
    ('/servers/{server_id}/ips/{network_label}', {'GET': ips.show_ips}),
    ('/servers/{server_id}/metadata', {'GET': server_metadata.list_metadata,
                                       'POST': server_metadata.create_metadata,
                                       'PUT': server_metadata.replace_metadata}),
    ('/servers/{server_id}/metadata/{key}', {'GET': server_metadata.show_metadata_item,
                                             'PUT': server_metadata.update_metadata_item,
                                             'DELETE': server_metadata.delete_metadata_item}),
]


def collection_names():
    """First path segments of every route: these are never project ids."""
    return frozenset(path.split('/')[1] for path, _methods in ROUTES)


class Router:
    """Matches PATH_INFO against ROUTES and calls the handler; always answers with a response."""

    def __init__(self, services, legacy_v2):
        self.services = services
        self.legacy_v2 = legacy_v2
        # One mapper per collection, with and without the project segment: Routes tries its
        # routes one by one, so a request tries only those of its own collection.
        self.mappers = {}  # (with project segment, collection name) -> routes.Mapper
        self.methods = {}  # route path -> ({method: handler}, Allow header)
        prefixes = ('/{project_id}',) if legacy_v2 else ('', '/{project_id}')
        for prefix in prefixes:
            for path, methods in ROUTES:
                mapper = self.mappers.get((bool(prefix), path.split('/')[1]))
                if mapper is None:
                    mapper = self.mappers[bool(prefix), path.split('/')[1]] = routes.Mapper()
                    mapper.urlcache = None  # a 1,600-entry cache (~25 KB) for URL generation, never used here
                mapper.connect(None, prefix + path)
                self.methods[prefix + path] = (methods, ', '.join(sorted(methods)))

    def _match(self, path):
        """(match dict, route) of the path, project-less routes first; None when none matches."""
        segments = path.split('/', 3)
        for with_project, index in ((False, 1), (True, 2)):
            mapper = self.mappers.get((with_project, segments[index])) if len(segments) > index else None
            found = mapper.routematch(path) if mapper is not None else None
            if found:
                return found
        return None

    def __call__(self, environ, start_response):
        environ[wsgi.ENV_SERVICES] = self.services
        req = wsgi.Request(environ)
        try:
            resp = self._dispatch(req)
        except webob.exc.HTTPException as exc:
            # Raised below us by webob/oslo (e.g. an over-long chunked body); keep nova's shape.
            resp = faults.fault_response(exc.code, exc.explanation or exc.title)
        except exception.ComputeError as exc:
            resp = faults.from_exception(exc, self.legacy_v2)
        except Exception:
            LOG.exception('Unexpected error in %s %s (request %s)', req.method, req.path,
                          environ.get('openstack.request_id'))
            resp = faults.fault_response(500, faults.GENERIC_500)
        return resp(environ, start_response)

    def _dispatch(self, req):
        found = self._match(req.path_info)
        if not found:
            return faults.fault_response(404, 'The resource could not be found.')
        match, route = found
        methods, allow = self.methods[route.routepath]
        handler = methods.get(req.method)
        if handler is None:
            if req.method == 'HEAD' and 'GET' in methods:
                handler = methods['GET']
            else:
                return faults.fault_response(405, 'The method %s is not allowed for this resource.'
                                             % req.method, headers={'Allow': allow})
        req.environ['wsgiorg.routing_args'] = ((), match)
        project_id = match.get('project_id')
        context = req.environ.get(wsgi.ENV_CONTEXT)
        if project_id is not None and context is not None and project_id != context.project_id:
            raise exception.ProjectMismatch(url=project_id, context=context.project_id)
        return handler(req)
