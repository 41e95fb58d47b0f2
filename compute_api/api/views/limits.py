"""The GET /limits document: rate limits (from the rate limiting middleware) and absolute limits
with the project's usage (nova's limits view, with os-used-limits and os-server-group-quotas)."""
import datetime

# quota -> the absolute limits that show it.
_ABSOLUTE_NAMES = {
    'ram': ('maxTotalRAMSize',),
    'instances': ('maxTotalInstances',),
    'cores': ('maxTotalCores',),
    'key_pairs': ('maxTotalKeypairs',),
    'floating_ips': ('maxTotalFloatingIps',),
    'metadata_items': ('maxServerMeta', 'maxImageMeta'),
    'injected_files': ('maxPersonality',),
    'injected_file_content_bytes': ('maxPersonalitySize',),
    'security_groups': ('maxSecurityGroups',),
    'security_group_rules': ('maxSecurityGroupRules',),
    'server_groups': ('maxServerGroups',),
    'server_group_members': ('maxServerGroupMembers',),
}
# used figure -> the usage it shows.
_USED_NAMES = {
    'totalRAMUsed': 'ram',
    'totalCoresUsed': 'cores',
    'totalInstancesUsed': 'instances',
    'totalFloatingIpsUsed': 'floating_ips',
    'totalSecurityGroupsUsed': 'security_groups',
    'totalServerGroupsUsed': 'server_groups',
}


def limits(rate_limits, absolute, usage):
    """`rate_limits`: the middleware's limit displays (empty when it is off); `absolute` and
    `usage`: {quota: value} of the project."""
    body = {name: absolute[resource] for resource, names in _ABSOLUTE_NAMES.items() for name in names
            if absolute.get(resource) is not None}
    body.update({name: usage.get(resource, 0) for name, resource in _USED_NAMES.items()})
    return {'limits': {'rate': _rate(rate_limits), 'absolute': body}}


def _rate(rate_limits):
    """Limits grouped by (uri, regex), in the order they are configured."""
    groups = []
    for limit in rate_limits:
        group = next((g for g in groups if g['uri'] == limit['uri'] and g['regex'] == limit['regex']), None)
        if group is None:
            group = {'uri': limit['uri'], 'regex': limit['regex'], 'limit': []}
            groups.append(group)
        group['limit'].append({
            'verb': limit['verb'],
            'value': limit['value'],
            'remaining': limit['remaining'],
            'unit': limit['unit'],
            'next-available': datetime.datetime.fromtimestamp(limit['reset_time'], datetime.timezone.utc)
                                      .strftime('%Y-%m-%dT%H:%M:%SZ'),
        })
    return groups
