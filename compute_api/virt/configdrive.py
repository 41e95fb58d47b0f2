"""nova's config drive: the files a guest's cloud-init (or any agent that reads nova's layout)
configures itself from at boot, and the ISO 9660 image, labelled config-2, that carries them.

The layout is nova's (nova/virt/configdrive.py, nova/api/metadata/base.py) for the newest version
only, `latest` (cloud-init falls back to it when it finds none of the dated ones):

    openstack/latest/meta_data.json     uuid, name, hostname, launch_index, availability_zone,
                                        project_id, random_seed, devices; meta, files,
                                        public_keys and keys, admin_pass when there are any
    openstack/latest/user_data          the decoded user_data, when the server has one
    openstack/latest/network_data.json  links, networks and services of the guest's interfaces
    openstack/latest/vendor_data.json   {} (there is no vendor data here)
    openstack/content/NNNN              each injected file (personality), as meta_data.json's
                                        files list names them

There is no EC2 tree (ec2/...): nova writes one for the EC2 API this service does not have.
"""
import base64
import io
import ipaddress
import json
import os

from compute_api.virt import driver

VOLUME_LABEL = 'config-2'
LATEST = 'openstack/latest'
CONTENT = 'openstack/content'
# nova's random_seed: 512 random bytes, base64.
RANDOM_SEED_BYTES = 512


def files(instance, guest):
    """{path: bytes} of the config drive of `instance` (a driver instance dict) given `guest` (a
    driver.Guest)."""
    result = {}
    listed = []
    for number, (path, contents) in enumerate(guest.injected_files):
        key = '%04d' % number
        result['%s/%s' % (CONTENT, key)] = bytes(contents)
        listed.append({'path': path, 'content_path': '/content/%s' % key})
    result['%s/meta_data.json' % LATEST] = _json(meta_data(instance, guest, listed))
    if guest.user_data is not None:
        result['%s/user_data' % LATEST] = bytes(guest.user_data)
    result['%s/network_data.json' % LATEST] = _json(network_data(guest.network_info))
    result['%s/vendor_data.json' % LATEST] = _json({})
    return result


def _json(document):
    return json.dumps(document).encode('utf-8')


def meta_data(instance, guest, listed_files):
    """meta_data.json's document, with nova's keys (those nova leaves out when empty are left out
    here too)."""
    document = {'uuid': instance['uuid']}
    if instance.get('metadata'):
        document['meta'] = dict(instance['metadata'])
    if listed_files:
        document['files'] = listed_files
    if guest.admin_password:
        document['admin_pass'] = guest.admin_password
    if guest.key_name:
        document['public_keys'] = {guest.key_name: guest.key_data}
        document['keys'] = [{'name': guest.key_name, 'type': key_type(guest.key_data), 'data': guest.key_data}]
    document.update({
        'hostname': guest.hostname,
        'name': instance.get('display_name'),
        'launch_index': instance.get('launch_index') or 0,
        'availability_zone': instance.get('availability_zone'),
        'random_seed': base64.b64encode(os.urandom(RANDOM_SEED_BYTES)).decode('ascii'),
        'project_id': instance.get('project_id'),
        'devices': [],
    })
    return document


def key_type(public_key):
    """nova's key pair type: x509 for a PEM certificate, else ssh."""
    return 'x509' if (public_key or '').lstrip().startswith('-----BEGIN CERTIFICATE-----') else 'ssh'


def network_data(network_info):
    """network_data.json's document (nova's netutils.get_network_metadata): a link per interface,
    a static network per address on it with its default route, and no services (no DNS is
    configured here). {} for a guest without interfaces, as nova writes it."""
    if not network_info:
        return {}
    links, networks = [], []
    for vif in network_info:
        links.append({'id': vif['devname'], 'vif_id': vif['id'], 'type': vif['type'], 'mtu': None,
                      'ethernet_mac_address': vif['address']})
        for subnet in vif['network']['subnets']:
            cidr = ipaddress.ip_network(subnet['cidr'])
            default = '0.0.0.0' if cidr.version == 4 else '::'
            for address in subnet['ips']:
                networks.append({
                    'id': 'network%d' % len(networks), 'type': 'ipv%d' % cidr.version, 'link': vif['devname'],
                    'ip_address': address, 'netmask': str(cidr.netmask),
                    'routes': ([{'network': default, 'netmask': default, 'gateway': subnet['gateway']}]
                               if subnet['gateway'] else []),
                    'network_id': vif['network']['id'], 'services': []})
    return {'links': links, 'networks': networks, 'services': []}


def write_iso(drive_files, path):
    """Write `drive_files` ({path: bytes}) as an ISO 9660 image at `path` (mode 0600: it holds the
    admin password and user_data): volume label config-2, Rock Ridge and Joliet names as nova's
    genisoimage call writes them, built with pycdlib (pure Python, the libvirt extra)."""
    try:
        import pycdlib
    except ImportError:
        raise driver.DriverError('A config drive needs pycdlib (pip install compute-api[libvirt]).') from None
    iso = pycdlib.PyCdlib()
    # Interchange level 4: the ISO 9660 names are the real names too (no 8.3 mangling).
    iso.new(interchange_level=4, vol_ident=VOLUME_LABEL, joliet=3, rock_ridge='1.09', pub_ident_str='compute-api')
    directories = sorted({'/'.join(name.split('/')[:depth]) for name in drive_files
                          for depth in range(1, name.count('/') + 1)})
    for directory in directories:
        _add(iso, directory, None)
    for name in sorted(drive_files):
        _add(iso, name, drive_files[name])
    # os.open: the file is never readable by others, not even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, 'wb') as image:
        iso.write_fp(image)
    iso.close()


def _add(iso, name, contents):
    path = '/' + name
    names = {'rr_name': name.rsplit('/', 1)[-1], 'joliet_path': path}
    if contents is None:
        iso.add_directory(path, **names)
    else:
        iso.add_fp(io.BytesIO(contents), len(contents), path, **names)

