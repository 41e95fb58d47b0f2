"""security_group and security_group_rule documents (nova-network's shape: integer ids)."""


def rule(rule):
    """ip_range holds the CIDR of a CIDR rule, group the source group of a group rule."""
    document = {'id': rule['id'], 'parent_group_id': rule['parent_group_id'], 'ip_protocol': rule['protocol'],
                'from_port': rule['from_port'], 'to_port': rule['to_port'], 'group': {}, 'ip_range': {}}
    if rule['group_id'] is not None:
        document['group'] = {'name': rule['group_name'], 'tenant_id': rule['group_project']}
    else:
        document['ip_range'] = {'cidr': rule['cidr']}
    return document


def security_group(group):
    return {'id': group['id'], 'name': group['name'], 'description': group['description'],
            'tenant_id': group['project_id'], 'rules': [rule(r) for r in group['rules']]}


def index(groups):
    """Sorted as nova sorts them: by tenant_id, then name."""
    documents = [security_group(group) for group in groups]
    return {'security_groups': sorted(documents, key=lambda d: (d['tenant_id'], d['name']))}
