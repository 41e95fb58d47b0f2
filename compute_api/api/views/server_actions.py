"""Bodies of server action responses."""
from compute_api.api.views import servers as server_views

# The keys of nova's rebuild response (its basic server view, before microversion 2.75): no
# extended status, availability zone, usage or volume attributes.
REBUILD_KEYS = frozenset(['id', 'name', 'status', 'tenant_id', 'user_id', 'metadata', 'hostId', 'image', 'flavor',
                          'created', 'updated', 'addresses', 'accessIPv4', 'accessIPv6', 'links', 'progress',
                          'fault', 'OS-DCF:diskConfig'])


def rebuilt(req, server, admin_password):
    """{"server": ...} of a rebuild: the basic view, addresses without the OS-EXT-IPS keys, and
    adminPass when passwords are shown ([DEFAULT] enable_instance_password)."""
    full = server_views.show(req, server, extended_attributes=False)
    document = {key: value for key, value in full.items() if key in REBUILD_KEYS}
    document['addresses'] = server_views.addresses(server, extended=False)
    if admin_password is not None:
        document['adminPass'] = admin_password
    return {'server': document}


def rescued(admin_password):
    return {'adminPass': admin_password} if admin_password is not None else {}


def console_output(output):
    return {'output': output}


def _time(value):
    """nova serialises action times as naive ISO 8601 with microseconds."""
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def instance_action(action, with_events=False):
    """An entry of os-instance-actions; `with_events` adds the action's compute event."""
    document = {
        'action': action['action'],
        'instance_uuid': action['instance_uuid'],
        'request_id': action['request_id'],
        'user_id': action['user_id'],
        'project_id': action['project_id'],
        'start_time': _time(action['start_time']),
        'message': action['message'],
    }
    if with_events:
        document['events'] = [_event(action)]
    return document


def _event(action):
    """The action's one compute event (nova's compute_<action>), as its row records it."""
    if action['finish_time'] is None:
        result = None
    else:
        result = 'Error' if action['message'] else 'Success'
    return {'event': 'compute_' + action['action'], 'start_time': _time(action['start_time']),
            'finish_time': _time(action['finish_time']), 'result': result, 'traceback': None}


def migration(row):
    """An entry of GET /os-migrations (nova's fields at 2.1)."""
    return {
        'id': row['id'],
        'status': row['status'],
        'instance_uuid': row['instance_uuid'],
        'source_node': row['source_node'],
        'source_compute': row['source_compute'],
        'dest_node': row['dest_node'],
        'dest_compute': row['dest_compute'],
        'dest_host': row['dest_host'],
        'old_instance_type_id': row['old_instance_type_id'],
        'new_instance_type_id': row['new_instance_type_id'],
        'created_at': _time(row['created_at']),
        'updated_at': _time(row['updated_at']),
    }
