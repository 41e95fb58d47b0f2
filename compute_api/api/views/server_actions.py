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
