"""server_group documents (nova 2.1: no project_id/user_id, metadata always empty)."""


def server_group(group):
    return {'id': group['uuid'], 'name': group['name'], 'policies': [group['policy']],
            'members': list(group['members']), 'metadata': {}}


def index(groups):
    return {'server_groups': [server_group(group) for group in groups]}
