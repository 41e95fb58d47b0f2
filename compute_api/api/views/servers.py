"""Server documents (catalogue §4.1–4.5): the full server, the list entry, the create response.

`server` is a compute.servers.Server: the instance row plus its metadata, addresses, attached
volumes, security group names and latest fault.
"""
import hashlib
import re

from compute_api.api import microversion
from compute_api.api.views import links
from compute_api.compute import states

# Every driver boots the root disk as the first virtio disk; nova reports the name once built.
ROOT_DEVICE_NAME = '/dev/vda'


def _iso(value):
    """created/updated: ISO 8601 with Z, no fraction (times are naive UTC; isoformat is ~2x
    cheaper than strftime, and a page of servers formats three times per server)."""
    return value.isoformat(timespec='seconds') + 'Z' if value else None


def _usage_time(value):
    """OS-SRV-USG:*: naive ISO with microseconds, no Z (nova serialises the datetime as is)."""
    return value.isoformat(timespec='microseconds') if value else None


def host_id(project_id, host):
    """nova's hostId: sha224(project_id + host), "" when the server has no host."""
    if not host:
        return ''
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def summary(req, instance):
    """An entry of GET /servers."""
    return {'id': instance['uuid'], 'name': instance['display_name'],
            'links': links.resource_links(req, 'servers', instance['uuid'])}


def addresses(server, extended=True):
    """{label: [{version, addr, OS-EXT-IPS:type, OS-EXT-IPS-MAC:mac_addr}]} in allocation order;
    `extended` False gives the bare {version, addr} of /servers/{id}/ips."""
    result = {}
    for row in server.addresses:
        entry = {'version': row['version'], 'addr': row['address']}
        if extended:
            entry['OS-EXT-IPS:type'] = row['type']
            entry['OS-EXT-IPS-MAC:mac_addr'] = row['mac_address']
        result.setdefault(row['network_label'], []).append(entry)
    return result


# An absolute file system path inside a message (not an address with a prefix length).
_PATH_RE = re.compile(r'(?<![\w.:])/(?:[\w.-]+/)+[\w.-]*')


def _fault(fault, is_admin):
    """The latest fault; `details` only for admins or when the code is not 500 (nova). Messages
    are those of API exceptions or bare class names (compute.servers.record_fault); paths a
    driver put in one are still hidden from non-admins."""
    message = fault['message'] if is_admin else _PATH_RE.sub('<path>', fault['message'] or '')
    document = {'code': fault['code'], 'created': _iso(fault['created_at']), 'message': message}
    if fault['details'] and (is_admin or fault['code'] != 500):
        document['details'] = fault['details']
    return document


def basic(req, server, hide_address_states=(), extended_addresses=False):
    """The server document without the extensions' attributes: nova's answer to PUT
    /servers/{id} and to a rebuild (addresses as {version, addr} unless `extended_addresses`)."""
    instance = server.instance
    is_admin = req.context.is_admin
    status = states.status(instance['vm_state'], instance['task_state'], instance['deleted'])
    image_id = instance['image_ref']
    document = {
        'id': instance['uuid'],
        'name': instance['display_name'],
        'status': status,
        'tenant_id': instance['project_id'] or '',
        'user_id': instance['user_id'] or '',
        'metadata': dict(server.metadata),
        'hostId': host_id(instance['project_id'], instance['host']),
        'image': ({'id': image_id, 'links': links.bookmark(req, 'images', image_id)} if image_id else ''),
        'flavor': {'id': instance['flavor_id'], 'links': links.bookmark(req, 'flavors', instance['flavor_id'])},
        'created': _iso(instance['created_at']),
        'updated': _iso(instance['updated_at'] or instance['created_at']),
        'addresses': ({} if instance['vm_state'] in hide_address_states and not is_admin
                      else addresses(server, extended=extended_addresses)),
        'accessIPv4': instance['access_ip_v4'] or '',
        'accessIPv6': instance['access_ip_v6'] or '',
        'links': links.resource_links(req, 'servers', instance['uuid']),
        'OS-DCF:diskConfig': disk_config(instance),
    }
    if req.supports(microversion.LOCKED_SHOWN):
        document['locked'] = bool(instance['locked_by'])
    if status in states.PROGRESS_STATUSES:
        document['progress'] = instance['progress'] or 0
    if status in states.FAULT_STATUSES and server.fault is not None:
        document['fault'] = _fault(server.fault, is_admin)
    return document


def show(req, server, hide_address_states=(), extended_attributes=None):
    """The full server document (GET /servers/{id}, each entry of /servers/detail): the basic
    one plus the attributes of nova's default extensions. `extended_attributes`: whether to show
    OS-EXT-SRV-ATTR:* (the handler's os_compute_api:os-extended-server-attributes check;
    default: for admins)."""
    instance = server.instance
    document = basic(req, server, hide_address_states, extended_addresses=True)
    document.update({
        'key_name': instance['key_name'],
        'config_drive': instance['config_drive'] or '',
        'OS-EXT-AZ:availability_zone': instance['availability_zone'] or '',
        'OS-EXT-STS:vm_state': instance['vm_state'],
        'OS-EXT-STS:task_state': instance['task_state'],
        'OS-EXT-STS:power_state': instance['power_state'],
        'OS-SRV-USG:launched_at': _usage_time(instance['launched_at']),
        'OS-SRV-USG:terminated_at': _usage_time(instance['terminated_at']),
        'os-extended-volumes:volumes_attached': _volumes_attached(req, server.volumes),
    })
    groups = security_groups(server.security_groups)
    if groups:  # nova leaves the key out of a server without security groups
        document['security_groups'] = groups
    if req.context.is_admin if extended_attributes is None else extended_attributes:
        document['OS-EXT-SRV-ATTR:host'] = instance['host']
        document['OS-EXT-SRV-ATTR:hypervisor_hostname'] = instance['node']
        document['OS-EXT-SRV-ATTR:instance_name'] = 'instance-%08x' % instance['id']
        if req.supports(microversion.EXTENDED_SERVER_ATTRIBUTES):
            document.update({
                'OS-EXT-SRV-ATTR:reservation_id': instance['reservation_id'],
                'OS-EXT-SRV-ATTR:launch_index': instance['launch_index'],
                'OS-EXT-SRV-ATTR:hostname': instance['hostname'],
                # nova copies these from the image's properties; images here carry no kernel or ramdisk
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': ROOT_DEVICE_NAME if instance['launched_at'] else None,
                'OS-EXT-SRV-ATTR:user_data': instance['user_data'],
            })
    return document


def _volumes_attached(req, volumes):
    if req.supports(microversion.EXTENDED_SERVER_ATTRIBUTES):
        return [{'id': volume['id'], 'delete_on_termination': volume['delete_on_termination']} for volume in volumes]
    return [{'id': volume['id']} for volume in volumes]


def security_groups(names):
    return [{'name': name} for name in names]


def disk_config(instance):
    return 'AUTO' if instance['auto_disk_config'] else 'MANUAL'


def created(req, instance, security_group_names, admin_password):
    """The 202 body of POST /servers (adminPass only when given: [DEFAULT]
    enable_instance_password)."""
    document = {
        'id': instance['uuid'],
        'links': links.resource_links(req, 'servers', instance['uuid']),
        'OS-DCF:diskConfig': disk_config(instance),
        'security_groups': security_groups(security_group_names),
    }
    if admin_password is not None:
        document['adminPass'] = admin_password
    return document
