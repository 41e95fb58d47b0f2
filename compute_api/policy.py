"""Policy: oslo.policy with nova's rule names and today's nova defaults.

Roles, as Keystone's bootstrap creates them (admin implies member implies reader, so a token
carries all three): readers read their project, members also write to it, admins do everything,
and admin-only APIs (quotas of others, flavor management, all_tenants listings...) need admin.
The base rules below are nova's (nova/policies/base.py), so a nova policy.yaml keeps its meaning.

Rules are registered once per process on an Enforcer built from the service's ConfigOpts;
[oslo_policy] policy_file (policy.yaml, looked up beside the config files) overrides them and is
re-read only when its mtime changes. Handlers call services.authorize() before touching data;
`target` is the owner of the resource ({'project_id': ..., 'user_id': ...}), the caller's own
project when there is no resource yet.

Adding a rule: one entry in API_RULES with nova's name and nova's default, e.g.
    _api('os_compute_api:servers:show', PROJECT_READER_OR_ADMIN, 'Show a server',
         'GET', '/servers/{server_id}'),
then regenerate compute_api/etc/policy.yaml.sample (tests/unit/test_policy_samples.py tells how).
"""
import inspect
import time

from oslo_policy import policy

from compute_api import exception

# Check strings the API rules are made of (nova's names for them).
ADMIN = 'rule:context_is_admin'
PROJECT_MANAGER_OR_ADMIN = 'rule:project_manager_or_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
PROJECT_MEMBER = 'rule:project_member_api'
PROJECT_READER = 'rule:project_reader_api'
ADMIN_OR_OWNER_USER = '(rule:context_is_admin) or user_id:%(user_id)s'  # a user's own resources (key pairs)
ANY = '@'      # any authenticated caller
NOBODY = '!'   # disabled unless an operator opens it in policy.yaml

BASE_RULES = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       'Decides what is an administrator (the admin role, in any project).'),
    policy.RuleDefault('admin_api', 'role:admin',
                       'Administrators only (nova: is_admin:True, which the admin role sets).'),
    policy.RuleDefault('project_manager_api', 'role:manager and project_id:%(project_id)s',
                       'A manager of the project owning the resource.'),
    policy.RuleDefault('project_member_api', 'role:member and project_id:%(project_id)s',
                       'A member of the project owning the resource.'),
    policy.RuleDefault('project_reader_api', 'role:reader and project_id:%(project_id)s',
                       'A reader of the project owning the resource.'),
    policy.RuleDefault('project_manager_or_admin', 'rule:project_manager_api or rule:context_is_admin',
                       'A manager of the project, or an administrator.'),
    policy.RuleDefault('project_member_or_admin', 'rule:project_member_api or rule:context_is_admin',
                       'A member of the project, or an administrator.'),
    policy.RuleDefault('project_reader_or_admin', 'rule:project_reader_api or rule:context_is_admin',
                       'A reader of the project, or an administrator.'),
]


def _api(name, check_str, description, method, path, more=()):
    """An API rule: its operation (method, path) and any further (method, path) pairs it governs.

    Every API rule is project-scoped, as nova's: system- or domain-scoped tokens do not pass.
    """
    operations = [{'method': m, 'path': p} for m, p in [(method, path), *more]]
    return policy.DocumentedRuleDefault(name, check_str, description, operations,
                                        scope_types=['project'])


API_RULES = [
    _api('os_compute_api:extensions', ANY, 'List or show API extensions.', 'GET', '/extensions',
         more=[('GET', '/extensions/{alias}')]),
    _api('os_compute_api:flavors', ANY, 'List or show flavors.', 'GET', '/flavors',
         more=[('GET', '/flavors/detail'), ('GET', '/flavors/{flavor_id}')]),
    _api('os_compute_api:os-flavor-manage:create', ADMIN, 'Create a flavor.', 'POST', '/flavors'),
    _api('os_compute_api:os-flavor-manage:delete', ADMIN, 'Delete a flavor.', 'DELETE', '/flavors/{flavor_id}'),
    _api('os_compute_api:os-flavor-extra-specs:index', PROJECT_READER_OR_ADMIN, "List a flavor's extra specs.",
         'GET', '/flavors/{flavor_id}/os-extra_specs'),
    _api('os_compute_api:os-flavor-extra-specs:show', PROJECT_READER_OR_ADMIN, "Show one of a flavor's extra specs.",
         'GET', '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}'),
    _api('os_compute_api:os-flavor-extra-specs:create', ADMIN, 'Add or overwrite extra specs of a flavor.',
         'POST', '/flavors/{flavor_id}/os-extra_specs'),
    _api('os_compute_api:os-flavor-extra-specs:update', ADMIN, 'Update one extra spec of a flavor.',
         'PUT', '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}'),
    _api('os_compute_api:os-flavor-extra-specs:delete', ADMIN, 'Delete one extra spec of a flavor.',
         'DELETE', '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}'),
    _api('os_compute_api:os-flavor-access', ADMIN, 'List the projects with access to a private flavor.',
         'GET', '/flavors/{flavor_id}/os-flavor-access'),
    _api('os_compute_api:os-flavor-access:add_tenant_access', ADMIN, 'Give a project access to a flavor.',
         'POST', '/flavors/{flavor_id}/action (addTenantAccess)'),
    _api('os_compute_api:os-flavor-access:remove_tenant_access', ADMIN, "Remove a project's access to a flavor.",
         'POST', '/flavors/{flavor_id}/action (removeTenantAccess)'),
    # nova's image proxy had no rules of its own (glance decided); these give each call one, with
    # the defaults of the project resources they are: readers read, members change.
    _api('os_compute_api:images:index', PROJECT_READER_OR_ADMIN, 'List images.', 'GET', '/images',
         more=[('GET', '/images/detail')]),
    _api('os_compute_api:images:show', PROJECT_READER_OR_ADMIN, 'Show an image.', 'GET', '/images/{image_id}'),
    _api('os_compute_api:images:delete', PROJECT_MEMBER_OR_ADMIN, 'Delete an image the project owns.',
         'DELETE', '/images/{image_id}'),
    _api('os_compute_api:image-metadata:index', PROJECT_READER_OR_ADMIN, "List an image's metadata.",
         'GET', '/images/{image_id}/metadata'),
    _api('os_compute_api:image-metadata:show', PROJECT_READER_OR_ADMIN, "Show one of an image's metadata items.",
         'GET', '/images/{image_id}/metadata/{key}'),
    _api('os_compute_api:image-metadata:create', PROJECT_MEMBER_OR_ADMIN, "Add or overwrite an image's metadata.",
         'POST', '/images/{image_id}/metadata'),
    _api('os_compute_api:image-metadata:update_all', PROJECT_MEMBER_OR_ADMIN, "Replace an image's metadata.",
         'PUT', '/images/{image_id}/metadata'),
    _api('os_compute_api:image-metadata:update', PROJECT_MEMBER_OR_ADMIN, "Set one of an image's metadata items.",
         'PUT', '/images/{image_id}/metadata/{key}'),
    _api('os_compute_api:image-metadata:delete', PROJECT_MEMBER_OR_ADMIN, "Delete one of an image's metadata items.",
         'DELETE', '/images/{image_id}/metadata/{key}'),
    _api('os_compute_api:os-keypairs:index', ADMIN_OR_OWNER_USER, "List the caller's key pairs.",
         'GET', '/os-keypairs'),
    _api('os_compute_api:os-keypairs:create', ADMIN_OR_OWNER_USER, 'Create or import a key pair.',
         'POST', '/os-keypairs'),
    _api('os_compute_api:os-keypairs:show', ADMIN_OR_OWNER_USER, 'Show a key pair.',
         'GET', '/os-keypairs/{keypair_name}'),
    _api('os_compute_api:os-keypairs:delete', ADMIN_OR_OWNER_USER, 'Delete a key pair.',
         'DELETE', '/os-keypairs/{keypair_name}'),
    _api('os_compute_api:limits', ANY, 'Show rate and absolute limits for the project.', 'GET', '/limits'),
    _api('os_compute_api:limits:other_project', ADMIN, "Show another project's limits (?tenant_id=).",
         'GET', '/limits (?tenant_id)'),
    _api('os_compute_api:os-quota-sets:show', PROJECT_READER_OR_ADMIN, "Show a project's quotas.",
         'GET', '/os-quota-sets/{tenant_id}'),
    _api('os_compute_api:os-quota-sets:detail', PROJECT_READER_OR_ADMIN, "Show a project's quotas and usage.",
         'GET', '/os-quota-sets/{tenant_id}/detail'),
    _api('os_compute_api:os-quota-sets:defaults', ANY, 'Show the default quotas.',
         'GET', '/os-quota-sets/{tenant_id}/defaults'),
    _api('os_compute_api:os-quota-sets:update', ADMIN, "Update a project's quotas.",
         'PUT', '/os-quota-sets/{tenant_id}'),
    _api('os_compute_api:os-quota-sets:delete', ADMIN, "Revert a project's quotas to the defaults.",
         'DELETE', '/os-quota-sets/{tenant_id}'),
    _api('os_compute_api:os-quota-class-sets:show', ADMIN, "Show a quota class's quotas.",
         'GET', '/os-quota-class-sets/{quota_class}'),
    _api('os_compute_api:os-quota-class-sets:update', ADMIN, "Update a quota class's quotas.",
         'PUT', '/os-quota-class-sets/{quota_class}'),
    _api('os_compute_api:os-availability-zone:list', ANY, 'List availability zones.',
         'GET', '/os-availability-zone'),
    _api('os_compute_api:os-availability-zone:detail', ADMIN, 'List availability zones with their hosts.',
         'GET', '/os-availability-zone/detail'),
    _api('os_compute_api:os-server-groups:index', PROJECT_READER_OR_ADMIN, "List the project's server groups.",
         'GET', '/os-server-groups'),
    _api('os_compute_api:os-server-groups:index:all_projects', ADMIN, 'List the server groups of every project.',
         'GET', '/os-server-groups (?all_projects)'),
    _api('os_compute_api:os-server-groups:show', PROJECT_READER_OR_ADMIN, 'Show a server group.',
         'GET', '/os-server-groups/{server_group_id}'),
    _api('os_compute_api:os-server-groups:create', PROJECT_MEMBER, 'Create a server group in the caller\'s project.',
         'POST', '/os-server-groups'),
    _api('os_compute_api:os-server-groups:delete', PROJECT_MEMBER_OR_ADMIN, 'Delete a server group.',
         'DELETE', '/os-server-groups/{server_group_id}'),
    _api('os_compute_api:os-hypervisors:list', ADMIN, 'List hypervisors.', 'GET', '/os-hypervisors'),
    _api('os_compute_api:os-hypervisors:list-detail', ADMIN, 'List hypervisors with details.',
         'GET', '/os-hypervisors/detail'),
    _api('os_compute_api:os-hypervisors:statistics', ADMIN, 'Show the summed statistics of all hypervisors.',
         'GET', '/os-hypervisors/statistics'),
    _api('os_compute_api:os-hypervisors:show', ADMIN, 'Show a hypervisor.', 'GET', '/os-hypervisors/{hypervisor_id}'),
    _api('os_compute_api:os-hypervisors:uptime', ADMIN, "Show a hypervisor's uptime.",
         'GET', '/os-hypervisors/{hypervisor_id}/uptime'),
    _api('os_compute_api:os-hypervisors:search', ADMIN, 'Search hypervisors by hostname.',
         'GET', '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
    _api('os_compute_api:os-hypervisors:servers', ADMIN, 'List the servers of hypervisors matching a hostname.',
         'GET', '/os-hypervisors/{hypervisor_hostname_pattern}/servers'),
    _api('os_compute_api:os-services:list', ADMIN, 'List compute services.', 'GET', '/os-services'),
    # Server actions: POST /servers/{server_id}/action, one rule per action (nova's names).
    _api('os_compute_api:servers:reboot', PROJECT_MEMBER_OR_ADMIN, 'Reboot a server.',
         'POST', '/servers/{server_id}/action (reboot)'),
    _api('os_compute_api:servers:stop', PROJECT_MEMBER_OR_ADMIN, 'Stop a server.',
         'POST', '/servers/{server_id}/action (os-stop)'),
    _api('os_compute_api:servers:start', PROJECT_MEMBER_OR_ADMIN, 'Start a stopped server.',
         'POST', '/servers/{server_id}/action (os-start)'),
    _api('os_compute_api:os-pause-server:pause', PROJECT_MEMBER_OR_ADMIN, 'Pause a server.',
         'POST', '/servers/{server_id}/action (pause)'),
    _api('os_compute_api:os-pause-server:unpause', PROJECT_MEMBER_OR_ADMIN, 'Unpause a paused server.',
         'POST', '/servers/{server_id}/action (unpause)'),
    _api('os_compute_api:os-suspend-server:suspend', PROJECT_MEMBER_OR_ADMIN, 'Suspend a server.',
         'POST', '/servers/{server_id}/action (suspend)'),
    _api('os_compute_api:os-suspend-server:resume', PROJECT_MEMBER_OR_ADMIN, 'Resume a suspended server.',
         'POST', '/servers/{server_id}/action (resume)'),
    _api('os_compute_api:os-lock-server:lock', PROJECT_MEMBER_OR_ADMIN, 'Lock a server.',
         'POST', '/servers/{server_id}/action (lock)'),
    _api('os_compute_api:os-lock-server:unlock', PROJECT_MEMBER_OR_ADMIN, 'Unlock a server.',
         'POST', '/servers/{server_id}/action (unlock)'),
    _api('os_compute_api:os-lock-server:unlock:unlock_override', ADMIN,
         'Unlock a server locked by another kind of caller (an administrator, or its owner).',
         'POST', '/servers/{server_id}/action (unlock)'),
    _api('os_compute_api:os-admin-password', PROJECT_MEMBER_OR_ADMIN, "Change a server's administrator password.",
         'POST', '/servers/{server_id}/action (changePassword)'),
    _api('os_compute_api:os-rescue', PROJECT_MEMBER_OR_ADMIN, 'Rescue a server.',
         'POST', '/servers/{server_id}/action (rescue)'),
    _api('os_compute_api:os-unrescue', PROJECT_MEMBER_OR_ADMIN, 'Unrescue a rescued server.',
         'POST', '/servers/{server_id}/action (unrescue)'),
    _api('os_compute_api:os-console-output', PROJECT_MEMBER_OR_ADMIN, "Show a server's console output.",
         'POST', '/servers/{server_id}/action (os-getConsoleOutput)'),
    _api('os_compute_api:os-remote-consoles', PROJECT_MEMBER_OR_ADMIN, "Open a server's remote console.",
         'POST', '/servers/{server_id}/action (os-getVNCConsole)',
         more=[('POST', '/servers/{server_id}/action (os-getSPICEConsole)'),
               ('POST', '/servers/{server_id}/action (os-getSerialConsole)'),
               ('POST', '/servers/{server_id}/action (os-getRDPConsole)'),
               ('POST', '/servers/{server_id}/remote-consoles')]),
    _api('os_compute_api:os-console-auth-tokens', ADMIN, 'Show the console a console token leads to.',
         'GET', '/os-console-auth-tokens/{console_token}'),
    _api('os_compute_api:servers:resize', PROJECT_MEMBER_OR_ADMIN, 'Resize a server.',
         'POST', '/servers/{server_id}/action (resize)'),
    _api('os_compute_api:servers:confirm_resize', PROJECT_MEMBER_OR_ADMIN, "Confirm a server's resize.",
         'POST', '/servers/{server_id}/action (confirmResize)'),
    _api('os_compute_api:servers:revert_resize', PROJECT_MEMBER_OR_ADMIN, "Revert a server's resize.",
         'POST', '/servers/{server_id}/action (revertResize)'),
    _api('os_compute_api:servers:rebuild', PROJECT_MEMBER_OR_ADMIN, 'Rebuild a server.',
         'POST', '/servers/{server_id}/action (rebuild)'),
    _api('os_compute_api:servers:create_image', PROJECT_MEMBER_OR_ADMIN, 'Create an image from a server.',
         'POST', '/servers/{server_id}/action (createImage)'),
    _api('os_compute_api:os-create-backup', PROJECT_MEMBER_OR_ADMIN, 'Create a rotated backup image of a server.',
         'POST', '/servers/{server_id}/action (createBackup)'),
    _api('os_compute_api:os-admin-actions:reset_state', ADMIN, "Reset a server's state.",
         'POST', '/servers/{server_id}/action (os-resetState)'),
    _api('os_compute_api:os-admin-actions:inject_network_info', ADMIN, "Push a server's network configuration to it.",
         'POST', '/servers/{server_id}/action (injectNetworkInfo)'),
    _api('os_compute_api:os-migrate-server:migrate', ADMIN, 'Cold migrate a server to another host.',
         'POST', '/servers/{server_id}/action (migrate)'),
    _api('os_compute_api:os-migrate-server:migrate_live', ADMIN, 'Live migrate a server to another host.',
         'POST', '/servers/{server_id}/action (os-migrateLive)'),
    _api('os_compute_api:os-deferred-delete:force', PROJECT_MEMBER_OR_ADMIN, 'Delete a server at once.',
         'POST', '/servers/{server_id}/action (forceDelete)'),
    _api('os_compute_api:os-deferred-delete:restore', PROJECT_MEMBER_OR_ADMIN, 'Restore a soft-deleted server.',
         'POST', '/servers/{server_id}/action (restore)'),
    _api('os_compute_api:os-shelve:shelve', PROJECT_MEMBER_OR_ADMIN, 'Shelve a server.',
         'POST', '/servers/{server_id}/action (shelve)'),
    _api('os_compute_api:os-shelve:shelve_offload', ADMIN, 'Offload a shelved server from its host.',
         'POST', '/servers/{server_id}/action (shelveOffload)'),
    _api('os_compute_api:os-shelve:unshelve', PROJECT_MEMBER_OR_ADMIN, 'Unshelve a shelved server.',
         'POST', '/servers/{server_id}/action (unshelve)'),
    _api('os_compute_api:os-server-password:show', PROJECT_READER_OR_ADMIN, "Show a server's encrypted password.",
         'GET', '/servers/{server_id}/os-server-password'),
    _api('os_compute_api:os-server-password:clear', PROJECT_MEMBER_OR_ADMIN, "Clear a server's encrypted password.",
         'DELETE', '/servers/{server_id}/os-server-password'),
    _api('os_compute_api:os-server-diagnostics', ADMIN, 'Show the usage data for a server.',
         'GET', '/servers/{server_id}/diagnostics'),
    _api('os_compute_api:os-server-external-events:create', ADMIN, 'Create one or more external events.',
         'POST', '/os-server-external-events'),
    _api('os_compute_api:os-migrations:index', ADMIN, 'List the migrations (resizes) of servers.',
         'GET', '/os-migrations'),
    _api('os_compute_api:os-instance-actions:list', PROJECT_READER_OR_ADMIN, 'List the actions taken on a server.',
         'GET', '/servers/{server_id}/os-instance-actions'),
    _api('os_compute_api:os-instance-actions:show', PROJECT_READER_OR_ADMIN, 'Show an action taken on a server.',
         'GET', '/servers/{server_id}/os-instance-actions/{request_id}'),
    _api('os_compute_api:os-instance-actions:events', ADMIN, "See the events of a server's actions.",
         'GET', '/servers/{server_id}/os-instance-actions/{request_id}'),
    _api('os_compute_api:os-simple-tenant-usage:list', ADMIN, 'List the usage of every project.',
         'GET', '/os-simple-tenant-usage'),
    _api('os_compute_api:os-simple-tenant-usage:show', PROJECT_READER_OR_ADMIN, "Show a project's usage.",
         'GET', '/os-simple-tenant-usage/{tenant_id}'),
    _api('os_compute_api:os-instance-usage-audit-log:list', ADMIN, 'List all usage audits.',
         'GET', '/os-instance_usage_audit_log'),
    _api('os_compute_api:os-instance-usage-audit-log:show', ADMIN,
         'List all usage audits occurred before a specified time for all servers on all compute hosts where '
         'usage auditing is configured.', 'GET', '/os-instance_usage_audit_log/{before_timestamp}'),
    _api('os_compute_api:os-security-groups:get', PROJECT_READER_OR_ADMIN,
         'List security groups. This API is deprecated.', 'GET', '/os-security-groups'),
    _api('os_compute_api:os-security-groups:show', PROJECT_READER_OR_ADMIN,
         'Show security group. This API is deprecated.', 'GET', '/os-security-groups/{security_group_id}'),
    _api('os_compute_api:os-security-groups:create', PROJECT_MEMBER_OR_ADMIN,
         'Create security group. This API is deprecated.', 'POST', '/os-security-groups'),
    _api('os_compute_api:os-security-groups:update', PROJECT_MEMBER_OR_ADMIN,
         'Update security group. This API is deprecated.', 'PUT', '/os-security-groups/{security_group_id}'),
    _api('os_compute_api:os-security-groups:delete', PROJECT_MEMBER_OR_ADMIN,
         'Delete security group. This API is deprecated.', 'DELETE', '/os-security-groups/{security_group_id}'),
    _api('os_compute_api:os-security-groups:rule:create', PROJECT_MEMBER_OR_ADMIN,
         'Create security group Rule. This API is deprecated.', 'POST', '/os-security-group-rules'),
    _api('os_compute_api:os-security-groups:rule:delete', PROJECT_MEMBER_OR_ADMIN,
         'Delete security group Rule. This API is deprecated.',
         'DELETE', '/os-security-group-rules/{security_group_id}'),
    _api('os_compute_api:os-security-groups:list', PROJECT_READER_OR_ADMIN, 'List security groups of server.',
         'GET', '/servers/{server_id}/os-security-groups'),
    _api('os_compute_api:os-security-groups:add', PROJECT_MEMBER_OR_ADMIN, 'Add security groups to server.',
         'POST', '/servers/{server_id}/action (addSecurityGroup)'),
    _api('os_compute_api:os-security-groups:remove', PROJECT_MEMBER_OR_ADMIN, 'Remove security groups from server.',
         'POST', '/servers/{server_id}/action (removeSecurityGroup)'),
    _api('os_compute_api:os-aggregates:index', ADMIN, 'List all aggregates.', 'GET', '/os-aggregates'),
    _api('os_compute_api:os-aggregates:create', ADMIN, 'Create an aggregate.', 'POST', '/os-aggregates'),
    _api('os_compute_api:os-aggregates:show', ADMIN, 'Show details for an aggregate.',
         'GET', '/os-aggregates/{aggregate_id}'),
    _api('os_compute_api:os-aggregates:update', ADMIN, 'Update name and/or availability zone for an aggregate.',
         'PUT', '/os-aggregates/{aggregate_id}'),
    _api('os_compute_api:os-aggregates:delete', ADMIN, 'Delete an aggregate.',
         'DELETE', '/os-aggregates/{aggregate_id}'),
    _api('os_compute_api:os-aggregates:add_host', ADMIN, 'Add a host to an aggregate.',
         'POST', '/os-aggregates/{aggregate_id}/action (add_host)'),
    _api('os_compute_api:os-aggregates:remove_host', ADMIN, 'Remove a host from an aggregate.',
         'POST', '/os-aggregates/{aggregate_id}/action (remove_host)'),
    _api('os_compute_api:os-aggregates:set_metadata', ADMIN, 'Create or replace metadata for an aggregate.',
         'POST', '/os-aggregates/{aggregate_id}/action (set_metadata)'),
    _api('os_compute_api:os-hosts:list', ADMIN, 'List physical hosts. This API is deprecated.',
         'GET', '/os-hosts'),
    _api('os_compute_api:os-hosts:show', ADMIN, 'Show physical host. This API is deprecated.',
         'GET', '/os-hosts/{host_name}'),
    _api('os_compute_api:os-hosts:update', ADMIN, 'Update physical host. This API is deprecated.',
         'PUT', '/os-hosts/{host_name}'),
    _api('os_compute_api:os-hosts:reboot', ADMIN, 'Reboot physical host. This API is deprecated.',
         'GET', '/os-hosts/{host_name}/reboot'),
    _api('os_compute_api:os-hosts:shutdown', ADMIN, 'Shutdown physical host. This API is deprecated.',
         'GET', '/os-hosts/{host_name}/shutdown'),
    _api('os_compute_api:os-hosts:start', ADMIN, 'Start physical host. This API is deprecated.',
         'GET', '/os-hosts/{host_name}/startup'),
    _api('os_compute_api:os-floating-ip-pools', ANY, 'List floating IP pools. This API is deprecated.',
         'GET', '/os-floating-ip-pools'),
    _api('os_compute_api:servers:index', PROJECT_READER_OR_ADMIN, "List the project's servers.", 'GET', '/servers'),
    _api('os_compute_api:servers:detail', PROJECT_READER_OR_ADMIN, "List the project's servers with details.",
         'GET', '/servers/detail'),
    _api('os_compute_api:servers:index:get_all_tenants', ADMIN, 'List the servers of every project (all_tenants).',
         'GET', '/servers'),
    _api('os_compute_api:servers:detail:get_all_tenants', ADMIN,
         'List the servers of every project with details (all_tenants).', 'GET', '/servers/detail'),
    _api('os_compute_api:servers:allow_all_filters', ADMIN,
         'Filter server lists on any field (host, node, deleted...); others may use only the user filters.',
         'GET', '/servers', more=[('GET', '/servers/detail')]),
    _api('os_compute_api:servers:show', PROJECT_READER_OR_ADMIN, 'Show a server.', 'GET', '/servers/{server_id}'),
    _api('os_compute_api:os-extended-server-attributes', ADMIN,
         'See the OS-EXT-SRV-ATTR attributes (host, hypervisor, instance name) of servers.',
         'GET', '/servers/{server_id}', more=[('GET', '/servers/detail')]),
    _api('os_compute_api:servers:create', PROJECT_MEMBER_OR_ADMIN, 'Create servers.', 'POST', '/servers'),
    _api('os_compute_api:servers:create:forced_host', ADMIN,
         'Create a server on a given host (availability_zone "zone:host[:node]").', 'POST', '/servers'),
    _api('os_compute_api:servers:create:attach_volume', PROJECT_MEMBER_OR_ADMIN,
         'Create a server with volumes in its block device mapping.', 'POST', '/servers'),
    _api('os_compute_api:servers:create:attach_network', PROJECT_MEMBER_OR_ADMIN,
         'Create a server on the networks it names.', 'POST', '/servers'),
    _api('os_compute_api:servers:update', PROJECT_MEMBER_OR_ADMIN, 'Update a server.', 'PUT', '/servers/{server_id}'),
    _api('os_compute_api:servers:delete', PROJECT_MEMBER_OR_ADMIN, 'Delete a server.',
         'DELETE', '/servers/{server_id}'),
    _api('os_compute_api:ips:index', PROJECT_READER_OR_ADMIN, "List a server's addresses.",
         'GET', '/servers/{server_id}/ips'),
    _api('os_compute_api:ips:show', PROJECT_READER_OR_ADMIN, "List a server's addresses on one network.",
         'GET', '/servers/{server_id}/ips/{network_label}'),
    _api('os_compute_api:server-metadata:index', PROJECT_READER_OR_ADMIN, "List a server's metadata.",
         'GET', '/servers/{server_id}/metadata'),
    _api('os_compute_api:server-metadata:show', PROJECT_READER_OR_ADMIN, "Show one of a server's metadata items.",
         'GET', '/servers/{server_id}/metadata/{key}'),
    _api('os_compute_api:server-metadata:create', PROJECT_MEMBER_OR_ADMIN, "Add or overwrite a server's metadata.",
         'POST', '/servers/{server_id}/metadata'),
    _api('os_compute_api:server-metadata:update_all', PROJECT_MEMBER_OR_ADMIN, "Replace a server's metadata.",
         'PUT', '/servers/{server_id}/metadata'),
    _api('os_compute_api:server-metadata:update', PROJECT_MEMBER_OR_ADMIN, "Set one of a server's metadata items.",
         'PUT', '/servers/{server_id}/metadata/{key}'),
    _api('os_compute_api:server-metadata:delete', PROJECT_MEMBER_OR_ADMIN, "Delete one of a server's metadata items.",
         'DELETE', '/servers/{server_id}/metadata/{key}'),
]


def list_rules():
    """Every default rule (oslo.policy.policies entry point: oslopolicy-sample-generator etc.)."""
    return BASE_RULES + API_RULES


def _pure_check_types():
    """The check classes whose verdict depends on nothing but the target and the credentials:
    oslo.policy's operators and rule references, and what it parses role:, a generic kind:match,
    @ and ! into (asked of its public parser; not http:, nor any check class a plugin may add)."""
    parsed = [policy.RuleDefault('sample', check_str).check for check_str in ('role:r', 'kind:%(key)s', '@', '!')]
    return frozenset([policy.AndCheck, policy.OrCheck, policy.NotCheck, policy.RuleCheck]
                     + [type(check) for check in parsed])


_PURE_CHECK_TYPES = _pure_check_types()


def _is_pure(check):
    if type(check) is _Evaluated:
        return True
    if type(check) not in _PURE_CHECK_TYPES:
        return False
    if isinstance(check, (policy.AndCheck, policy.OrCheck)):
        return all(_is_pure(rule) for rule in check.rules)
    if isinstance(check, policy.NotCheck):
        return _is_pure(check.rule)
    return True


def _evaluate(check, target, creds, enforcer, current_rule):
    """A pure check tree's verdict, as oslo.policy reaches it, with each node called directly."""
    kind = type(check)
    if kind is _Evaluated:
        check = check.check
        kind = type(check)
    if kind is policy.RuleCheck:
        try:
            check = enforcer.rules[check.match]
        except KeyError:  # no such rule: closed, as oslo.policy
            return False
        return _evaluate(check, target, creds, enforcer, current_rule)
    if kind is policy.AndCheck:
        return all(_evaluate(rule, target, creds, enforcer, current_rule) for rule in check.rules)
    if kind is policy.OrCheck:
        return any(_evaluate(rule, target, creds, enforcer, current_rule) for rule in check.rules)
    if kind is policy.NotCheck:
        return not _evaluate(check.rule, target, creds, enforcer, current_rule)
    return bool(check(target, creds, enforcer, current_rule))  # oslo.policy's own leaf checks


class _Evaluated(policy.Check):
    """A rule of pure checks, evaluated by _evaluate: oslo.policy calls each check through a
    function that inspects the signature of its __call__ first, which for a rule tree of ~8
    nodes was most of an evaluation's CPU (~17% of a small request's); so it calls only this one."""

    def __init__(self, check):
        super().__init__('compute_api', str(check))
        self.check = check

    def __str__(self):
        return str(self.check)

    def __call__(self, target, creds, enforcer, current_rule=None):
        return _evaluate(self.check, target, creds, enforcer, current_rule)

    # oslo.policy asks inspect for the signature of each check it calls; a function's own
    # __signature__ is inspect's answer without working it out (~20 us less per evaluation here).
    __call__.__signature__ = inspect.signature(__call__)


class Enforcer(policy.Enforcer):
    """oslo.policy's Enforcer, looking for policy changes at most once per RELOAD_INTERVAL, and
    remembering its verdicts until the rules change.

    Before every check oslo.policy searches each configuration directory for the policy file and
    the [oslo_policy] policy_dirs, stats what it finds and walks every registered rule: with ~140
    rules that was ~15% of the CPU of a small request (benchmarks/). Here it happens at most once
    a second, so an edited policy.yaml takes effect within a second rather than at the next request.
    As long as every check in the rules is a pure function of (target, credentials), each rule is
    evaluated by _Evaluated, and authorize() keeps the verdicts of the current rules, across looks
    that find them unchanged.
    """
    RELOAD_INTERVAL = 1.0
    MAX_VERDICTS = 10000  # then forget them all: a bound, not an LRU

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rules_loaded_at = None  # time.monotonic() of the last full load_rules
        self._verdicts = {}  # (rule, target items, credentials items) -> bool
        self._rules_are_pure = False
        self._rules_set = False  # set_rules gave rules that load_rules has not looked at yet

    def load_rules(self, force_reload=False):
        now = time.monotonic()
        if (force_reload or not self.rules or self._rules_loaded_at is None
                or now - self._rules_loaded_at >= self.RELOAD_INTERVAL):
            before = dict(self.rules)
            super().load_rules(force_reload)  # its check_rules() sees the rules as parsed
            self._rules_loaded_at = now
            # A rule read again from a changed file is a new object; unchanged ones are kept.
            if self._rules_set or len(before) != len(self.rules) or any(
                    self.rules.get(name) is not check for name, check in before.items()):
                self._use_rules()

    def set_rules(self, rules, overwrite=True, use_conf=False):
        super().set_rules(rules, overwrite, use_conf)
        # In effect at once, evaluated by oslo.policy until load_rules takes them over.
        self._verdicts = {}
        self._rules_are_pure = False
        self._rules_set = True

    def _use_rules(self):
        self._verdicts = {}
        self._rules_set = False
        self._rules_are_pure = all(_is_pure(check) for check in self.rules.values())
        if self._rules_are_pure:
            for name, check in self.rules.items():
                if type(check) is not _Evaluated:
                    self.rules[name] = _Evaluated(check)

    def authorize(self, rule, target, creds, do_raise=False, exc=None, *args, **kwargs):
        if do_raise or not isinstance(rule, str) or not hasattr(creds, 'policy_values_key'):
            return super().authorize(rule, target, creds, do_raise, exc, *args, **kwargs)
        self.load_rules()
        try:
            key = (rule, tuple(sorted(target.items())), creds.policy_values_key)
            verdict = self._verdicts.get(key)
        except TypeError:  # an unhashable value in the target
            return super().authorize(rule, target, creds)
        if verdict is None:
            verdict = bool(super().authorize(rule, target, creds))
            if self._rules_are_pure:
                if len(self._verdicts) >= self.MAX_VERDICTS:
                    self._verdicts = {}
                self._verdicts[key] = verdict
        return verdict


def make_enforcer(conf):
    enforcer = Enforcer(conf)
    enforcer.register_defaults(list_rules())
    return enforcer


def get_enforcer():
    """The enforcer of this host's configuration, for the oslopolicy-* tools
    (oslo.policy.enforcer entry point): compute-api.conf from the standard places
    (~/.compute-api/, ~/, /etc/compute-api/, /etc/), and the policy file it names."""
    from oslo_config import cfg

    from compute_api import conf as conf_mod
    files = cfg.find_config_files(project='compute-api', prog='compute-api')
    return make_enforcer(conf_mod.make_conf([], default_config_files=files))


def is_admin(enforcer, context):
    """Whether the context_is_admin rule passes for `context` (nova sets context.is_admin so)."""
    target = {'project_id': context.project_id, 'user_id': context.user_id}
    return enforcer.authorize('context_is_admin', target, context, do_raise=False)


def allows(enforcer, context, action, target=None):
    """Whether `context` may perform `action` on `target`.

    The default target is the caller's own project, as nova's. An unregistered `action` is a
    programming error (oslo.policy raises PolicyNotRegistered), never a silent allow.
    """
    if target is None:
        target = {'project_id': context.project_id, 'user_id': context.user_id}
    return enforcer.authorize(action, target, context, do_raise=False)


def authorize(enforcer, context, action, target=None):
    """Raise PolicyNotAuthorized (403) unless allows(...)."""
    if not allows(enforcer, context, action, target):
        raise exception.PolicyNotAuthorized(action=action)
