"""GET /extensions and /extensions/{alias}: exactly the extensions this server implements.

Add an entry when a feature lands; never list what is not served.
"""
from compute_api import exception
from compute_api.api import wsgi

_NS = 'http://docs.openstack.org/compute/ext/%s'

# alias: (name, namespace path, updated, description)
EXTENSIONS = {
    'OS-EXT-IMG-SIZE': ('ImageSize', 'image_size/api/v1.1', '2013-02-19T00:00:00Z',
                        'Adds image size to image listings.'),
    'OS-FLV-DISABLED': ('FlavorDisabled', 'flavor_disabled/api/v1.1', '2012-08-29T00:00:00Z',
                        'Support to show the disabled status of a flavor.'),
    'OS-FLV-EXT-DATA': ('FlavorExtraData', 'flavor_extra_data/api/v1.1', '2011-09-14T00:00:00Z',
                        'Provide additional data for flavors.'),
    'os-flavor-access': ('FlavorAccess', 'flavor_access/api/v2', '2012-08-01T00:00:00Z',
                         'Flavor access support.'),
    'os-flavor-extra-specs': ('FlavorExtraSpecs', 'flavor_extra_specs/api/v1.1', '2011-06-23T00:00:00Z',
                              'Instance type (flavor) extra specs.'),
    'os-flavor-manage': ('FlavorManage', 'flavor_manage/api/v1.1', '2012-01-19T00:00:00Z',
                         'Flavor create/delete API support.'),
    'os-flavor-rxtx': ('FlavorRxtx', 'flavor_rxtx/api/v1.1', '2012-08-29T00:00:00Z',
                       'Support to show the rxtx status of a flavor.'),
    'os-flavor-swap': ('FlavorSwap', 'flavor_swap/api/v1.1', '2012-08-29T00:00:00Z',
                       'Support to show the swap status of a flavor.'),
    'os-keypairs': ('Keypairs', 'keypairs/api/v1.1', '2011-08-08T00:00:00Z', 'Keypair Support.'),
    'os-security-groups': ('SecurityGroups', 'securitygroups/api/v1.1', '2013-05-28T00:00:00Z',
                           'Security group support.'),
    'os-aggregates': ('Aggregates', 'aggregates/api/v1.1', '2012-01-12T00:00:00Z',
                      'Admin-only aggregate administration.'),
    'os-hosts': ('Hosts', 'hosts/api/v1.1', '2011-06-29T00:00:00Z', 'Admin-only host administration.'),
    'os-floating-ip-pools': ('FloatingIpPools', 'floating_ip_pools/api/v1.1', '2012-01-04T00:00:00Z',
                             'Floating IPs support.'),
    # Limits and quotas.
    'os-quota-sets': ('Quotas', 'quotas-sets/api/v1.1', '2011-08-08T00:00:00Z', 'Quotas management support.'),
    'os-extended-quotas': ('ExtendedQuotas', 'extended_quotas/api/v1.1', '2013-06-09T00:00:00Z',
                           'Adds ability for admins to delete quota and optionally force the update Quota '
                           'command.'),
    'os-quota-class-sets': ('QuotaClasses', 'quota-classes-sets/api/v1.1', '2012-03-12T00:00:00Z',
                            'Quota classes management support.'),
    'os-used-limits': ('UsedLimits', 'used_limits/api/v1.1', '2012-07-13T00:00:00Z',
                       'Provide data on limited resources that are being used.'),
    'os-used-limits-for-admin': ('UsedLimitsForAdmin', 'used_limits_for_admin/api/v1.1',
                                 '2013-05-02T00:00:00Z', 'Provide data to admin on limited resources used by '
                                 'other tenants.'),
    'os-server-group-quotas': ('ServerGroupQuotas', 'server-group-quotas/api/v2', '2014-07-25T00:00:00Z',
                               'Adds quota support to server groups.'),
    'os-availability-zone': ('AvailabilityZone', 'availabilityzone/api/v1.1', '2012-12-21T00:00:00Z',
                             '1. Add availability_zone to the Create Server v1.1 API. '
                             '2. Add availability zones describing.'),
    'os-server-groups': ('ServerGroups', 'servergroups/api/v2', '2013-06-20T00:00:00Z', 'Server group support.'),
    'os-hypervisors': ('Hypervisors', 'hypervisors/api/v1.1', '2012-06-21T00:00:00Z',
                       'Admin-only hypervisor administration.'),
    'os-extended-hypervisors': ('ExtendedHypervisors', 'extended_hypervisors/api/v1.1', '2014-01-04T00:00:00Z',
                                'Extended hypervisors support.'),
    'os-hypervisor-status': ('HypervisorStatus', 'hypervisor_status/api/v1.1', '2014-04-17T00:00:00Z',
                             'Show hypervisor status.'),
    'os-services': ('Services', 'services/api/v2', '2012-10-28T00:00:00Z', 'Services support.'),
    'os-instance_usage_audit_log': ('OSInstanceUsageAuditLog', 'services/api/v1.1', '2012-07-06T01:00:00Z',
                                    'Admin-only Task Log Monitoring.'),
    'os-server-external-events': ('ServerExternalEvents', 'server-external-events/api/v2', '2014-02-18T00:00:00Z',
                                  'Server External Event Triggers.'),
    'os-simple-tenant-usage': ('SimpleTenantUsage', 'os-simple-tenant-usage/api/v1.1', '2011-08-19T00:00:00Z',
                               'Simple tenant usage extension.'),
    # Servers (flag extensions: the fields and filters they name are served).
    'OS-DCF': ('DiskConfig', 'disk_config/api/v1.1', '2011-09-27T00:00:00Z', 'Disk Management Extension.'),
    'OS-EXT-AZ': ('ExtendedAvailabilityZone', 'extended_availability_zone/api/v2', '2013-01-30T00:00:00Z',
                  'Extended Availability Zone support.'),
    'OS-EXT-IPS': ('ExtendedIps', 'extended_ips/api/v1.1', '2013-01-06T00:00:00Z',
                   'Adds type parameter to the ip list.'),
    'OS-EXT-IPS-MAC': ('ExtendedIpsMac', 'extended_ips_mac/api/v1.1', '2013-03-07T00:00:00Z',
                       'Adds mac address parameter to the ip list.'),
    'OS-EXT-SRV-ATTR': ('ExtendedServerAttributes', 'extended_status/api/v1.1', '2011-11-03T00:00:00Z',
                        'Extended Server Attributes support.'),
    'OS-EXT-STS': ('ExtendedStatus', 'extended_status/api/v1.1', '2011-11-03T00:00:00Z',
                   'Extended Status support.'),
    'OS-SCH-HNT': ('SchedulerHints', 'scheduler-hints/api/v2', '2011-07-19T00:00:00Z',
                   'Pass arbitrary key/value pairs to the scheduler.'),
    'OS-SRV-USG': ('ServerUsage', 'server_usage/api/v1.1', '2013-04-29T00:00:00Z',
                   'Adds launched_at and terminated_at on Servers.'),
    'os-block-device-mapping-v2-boot': ('BlockDeviceMappingV2Boot', 'block_device_mapping_v2_boot/api/v2',
                                        '2013-07-08T00:00:00Z', 'Allow boot with the new BDM data format.'),
    'os-config-drive': ('ConfigDrive', 'config_drive/api/v1.1', '2012-07-16T00:00:00Z',
                        'Config Drive Extension.'),
    'os-extended-volumes': ('ExtendedVolumes', 'extended_volumes/api/v1.1', '2013-06-07T00:00:00Z',
                            'Extended Volumes support.'),
    'os-hide-server-addresses': ('HideServerAddresses', 'hide-server-addresses/api/v1.1', '2012-12-11T00:00:00Z',
                                 'Support hiding server addresses in certain states.'),
    'os-multiple-create': ('MultipleCreate', 'multiplecreate/api/v1.1', '2012-08-07T00:00:00Z',
                           'Allow multiple create in the Create Server v1.1 API.'),
    'os-server-list-multi-status': ('ServerListMultiStatus', 'os-server-list-multi-status/api/v2',
                                    '2014-05-11T00:00:00Z', 'Allow to filter the servers by a set of status values.'),
    'os-server-sort-keys': ('ServerSortKeys', 'server_sort_keys/api/v2', '2014-05-22T00:00:00Z',
                            'Add sort keys and directions to the Server GET v2 API.'),
    'os-user-data': ('UserData', 'userdata/api/v1.1', '2012-08-07T00:00:00Z',
                     'Add user_data to the Create Server API.'),
    # Server actions.
    'os-admin-actions': ('AdminActions', 'admin-actions/api/v1.1', '2011-09-20T00:00:00Z',
                         'Enable admin-only server actions. Actions include: pause, unpause, suspend, resume, '
                         'migrate, lock, unlock, createBackup, os-migrateLive, os-resetState, '
                         'injectNetworkInfo.'),
    'os-console-output': ('ConsoleOutput', 'os-console-output/api/v2', '2011-12-08T00:00:00Z',
                          'Console log output support, with tailing ability.'),
    'os-consoles': ('Consoles', 'os-consoles/api/v2', '2011-12-23T00:00:00Z', 'Interactive Console support.'),
    'os-console-auth-tokens': ('ConsoleAuthTokens', 'consoles-auth-tokens/api/v2', '2013-08-13T00:00:00Z',
                               'Console token authentication support.'),
    'os-deferred-delete': ('DeferredDelete', 'deferred-delete/api/v1.1', '2011-09-01T00:00:00Z',
                           'Instance deferred delete.'),
    'os-extended-rescue-with-image': ('ExtendedRescueWithImage', 'extended_rescue_with_image/api/v2',
                                      '2014-01-04T00:00:00Z',
                                      'Allow the user to specify the image to use for rescue.'),
    'os-instance-actions': ('InstanceActions', 'instance-actions/api/v1.1', '2013-02-08T00:00:00Z',
                            'View a log of actions and events taken on an instance.'),
    'os-migrations': ('Migrations', 'migrations/api/v2.0', '2013-05-30T00:00:00Z',
                      'Provide data on migrations.'),
    'os-preserve-ephemeral-rebuild': ('PreserveEphemeralOnRebuild', 'preserve_ephemeral_rebuild/api/v2',
                                      '2013-12-17T00:00:00Z',
                                      'Allow preservation of the ephemeral partition on rebuild.'),
    'os-rescue': ('Rescue', 'rescue/api/v1.1', '2011-08-18T00:00:00Z', 'Instance rescue mode.'),
    'os-shelve': ('Shelve', 'shelve/api/v1.1', '2013-04-06T00:00:00Z', 'Instance shelve mode.'),
    'os-server-diagnostics': ('ServerDiagnostics', 'server-diagnostics/api/v1.1', '2011-12-21T00:00:00Z',
                              'Allow Admins to view server diagnostics through server action.'),
    'os-server-password': ('ServerPassword', 'server-password/api/v2', '2012-11-29T00:00:00Z',
                           'Server password support.'),
    'os-server-start-stop': ('ServerStartStop', 'servers/api/v1.1', '2012-01-23T00:00:00Z',
                             'Start/Stop instance compute API support.'),
}


def _document(alias):
    name, namespace, updated, description = EXTENSIONS[alias]
    return {'name': name, 'alias': alias, 'description': description, 'namespace': _NS % namespace,
            'updated': updated, 'links': []}


def list_extensions(req):
    req.services.authorize(req.context, 'os_compute_api:extensions')
    return wsgi.json_response({'extensions': [_document(alias) for alias in sorted(EXTENSIONS)]})


def show_extension(req):
    req.services.authorize(req.context, 'os_compute_api:extensions')
    alias = req.urlvars['alias']
    if alias not in EXTENSIONS:
        raise exception.ExtensionNotFound(alias=alias)
    return wsgi.json_response({'extension': _document(alias)})
