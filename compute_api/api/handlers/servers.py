"""POST/GET /servers, GET /servers/detail, GET/PUT/DELETE /servers/{server_id}.

Another project's server is a 404 exactly like a random id's: the lookup is scoped to the
caller's project (admins: any) before the policy check, whose target is the server's owner.
"""
import datetime
import ipaddress
import re
import uuid as uuid_mod

from oslo_utils import timeutils

from compute_api import exception
from compute_api.api import common
from compute_api.api import microversion
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import servers as schemas
from compute_api.api.views import servers as views
from compute_api.compute import servers as compute_servers
from compute_api.compute import states
from compute_api.db import instances as db_instances

# Query parameters any caller may filter on (nova's _get_server_search_options); the others
# are an administrator's (os_compute_api:servers:allow_all_filters) and silently dropped for
# everyone else.
USER_FILTERS = frozenset(['reservation_id', 'name', 'status', 'image', 'flavor', 'ip', 'changes-since',
                          'all_tenants'])
USER_FILTERS_IP6 = USER_FILTERS | {'ip6'}  # from 2.5
# Paging and sorting, never filters.
PAGING_PARAMS = frozenset(['limit', 'marker', 'sort_key', 'sort_dir'])
# Filters that compare a column with the value as given (API name -> db filter name).
EXACT_FILTERS = {'reservation_id': 'reservation_id', 'host': 'host', 'node': 'node', 'user_id': 'user_id',
                 'uuid': 'uuid', 'vm_state': 'vm_state', 'task_state': 'task_state', 'flavor': 'flavor_id'}
# nova's SERVER_LIST_IGNORE_SORT_KEY: accepted and ignored; host/node are ignored for non-admins.
IGNORED_SORT_KEYS = frozenset([
    'architecture', 'cell_name', 'cleaned', 'default_ephemeral_device', 'default_swap_device', 'deleted',
    'deleted_at', 'disable_terminate', 'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data', 'launched_on',
    'locked', 'memory_mb', 'os_type', 'reservation_id', 'root_gb', 'shutdown_terminate', 'user_data', 'vcpus',
    'vm_mode'])
ADMIN_SORT_KEYS = frozenset(['host', 'node'])
# Legacy BDMs name the root disk by device; these are the names a root device has.
ROOT_DEVICE_NAMES = frozenset(['vda', 'sda', 'xvda', 'hda'])


def _viewer(req):
    """server -> the full server document as the caller may see it (policies checked once)."""
    hidden = tuple(req.services.conf.api.hide_server_address_states)
    extended = req.services.allows(req.context, 'os_compute_api:os-extended-server-attributes')
    return lambda server: views.show(req, server, hidden, extended_attributes=extended)


# -- create ----------------------------------------------------------------------------------------

def create_server(req):
    context = req.context
    req.services.authorize(context, 'os_compute_api:servers:create')
    body = validation.validate_body(req, schemas.create)
    request = _create_request(body)
    if isinstance(request.networks, list) and request.networks:
        req.services.authorize(context, 'os_compute_api:servers:create:attach_network')
    if any(bdm['destination_type'] == 'volume' for bdm in request.block_devices):
        req.services.authorize(context, 'os_compute_api:servers:create:attach_volume')
    rows, admin_password, reservation_id = compute_servers.create(req.services, context, request)
    if common.bool_from_string(body['server'].get('return_reservation_id', False)):
        return wsgi.json_response({'reservation_id': reservation_id}, status=202)
    shown_password = admin_password if req.services.conf.enable_instance_password else None
    document = views.created(req, rows[0], request.security_groups, shown_password)
    return wsgi.json_response({'server': document}, status=202, headers={'Location': document['links'][0]['href']})


def _last_segment(ref):
    """An id, or the id at the end of a full URL (examples 1.4-1.7)."""
    return str(ref).rstrip('/').rsplit('/', 1)[-1]


def _create_request(body):
    server = body['server']
    name = server['name'].strip()
    if not name:
        raise exception.ValidationError('Server name is not defined')
    image_ref = server.get('imageRef')
    if image_ref:
        image_ref = _last_segment(image_ref)
        if not _is_uuid(image_ref):
            raise exception.InvalidImageRef()
    flavor_ref = _last_segment(server['flavorRef'])
    if not flavor_ref:
        raise exception.InvalidFlavorRef()
    min_count = int(server.get('min_count', 1))
    max_count = int(server.get('max_count', min_count))
    if min_count > max_count:
        raise exception.ValidationError('min_count must be <= max_count')
    disk_config = server.get('OS-DCF:diskConfig')
    hints = body.get('os:scheduler_hints') or body.get('OS-SCH-HNT:scheduler_hints') or {}
    return compute_servers.CreateRequest(
        name=name,
        flavor_ref=flavor_ref,
        image_ref=image_ref or None,
        metadata=server.get('metadata') or {},
        personality=[(item['path'], validation.decode_base64(item['contents']))
                     for item in server.get('personality') or []],
        access_ip_v4=_address(server.get('accessIPv4')),
        access_ip_v6=_address(server.get('accessIPv6')),
        admin_password=server.get('adminPass'),
        networks=_networks(server.get('networks')),
        security_groups=_security_groups(server.get('security_groups')),
        key_name=server.get('key_name'),
        user_data=server.get('user_data'),
        availability_zone=server.get('availability_zone'),
        min_count=min_count,
        max_count=max_count,
        block_devices=_block_devices(server),
        config_drive=common.bool_from_string(server.get('config_drive', False)),
        auto_disk_config=None if disk_config is None else disk_config == 'AUTO',
        scheduler_hints=hints,
    )


def _address(text):
    """An access IP as nova stores it: normalised (IPv6 compressed), None when empty."""
    return str(ipaddress.ip_address(text)) if text else None


def _is_uuid(text):
    try:
        uuid_mod.UUID(text)
    except ValueError:
        return False
    return True


def _networks(value):
    if value is None or isinstance(value, str):
        return value
    for item in value:
        if item.get('uuid') is not None and not _is_uuid(item['uuid']):
            raise exception.ValidationError('Bad networks format: network uuid is not in proper format (%s)'
                                            % item['uuid'])
        if not item.get('uuid') and not item.get('port'):
            raise exception.ValidationError('Bad networks format: network uuid is not in proper format ()')
    return value


def _security_groups(value):
    """The names, deduplicated in order; nova's default group when none is named."""
    names = []
    for item in value or []:
        name = (item.get('name') or '').strip()
        if name and name not in names:
            names.append(name)
    return names or ['default']


def _block_devices(server):
    """Both create syntaxes as block_device_mappings rows (without instance_uuid)."""
    legacy, current = server.get('block_device_mapping'), server.get('block_device_mapping_v2')
    if legacy and current:
        raise exception.ValidationError('Using different block_device_mapping syntaxes is not allowed.')
    if legacy:
        return [_legacy_bdm(item) for item in legacy]
    result = [_bdm_v2(item) for item in current or []]
    boot_indexes = sorted(bdm['boot_index'] for bdm in result if bdm['boot_index'] is not None
                          and bdm['boot_index'] >= 0)
    if boot_indexes and boot_indexes != list(range(len(boot_indexes))):
        raise exception.InvalidInput(reason='Boot sequence for the instance and image/block device mapping '
                                            'combination is not valid.')
    return result


def _bdm_row(**values):
    row = {'source_type': None, 'destination_type': None, 'boot_index': None, 'uuid': None, 'volume_id': None,
           'volume_size': None, 'device_name': None, 'device_type': None, 'disk_bus': None,
           'guest_format': None, 'delete_on_termination': False, 'no_device': False}
    row.update(values)
    return row


def _legacy_bdm(item):
    volume_id, snapshot_id = item.get('volume_id'), item.get('snapshot_id')
    device = item.get('device_name')
    root = device is not None and device.rsplit('/', 1)[-1] in ROOT_DEVICE_NAMES
    size = item.get('volume_size')
    return _bdm_row(
        source_type='snapshot' if snapshot_id else 'volume' if volume_id else 'blank',
        destination_type='volume' if (volume_id or snapshot_id) else 'local',
        boot_index=0 if root and (volume_id or snapshot_id) else None,
        uuid=snapshot_id or volume_id, volume_id=volume_id, volume_size=int(size) if size is not None else None,
        device_name=device, delete_on_termination=common.bool_from_string(item.get('delete_on_termination', False)),
        no_device=item.get('no_device') is not None)


def _bdm_v2(item):
    source = item.get('source_type')
    if source is None:
        raise exception.InvalidInput(reason='Block Device Mapping is Invalid: source_type is required.')
    destination = item.get('destination_type') or ('volume' if source in ('volume', 'snapshot') else 'local')
    ref = item.get('uuid') or item.get('image_id')
    if source != 'blank' and not ref:
        raise exception.InvalidInput(reason='Block Device Mapping is Invalid: missing uuid for source %s.' % source)
    if source == 'volume' and destination != 'volume':
        raise exception.InvalidInput(reason='Block Device Mapping is Invalid: a volume can only be attached '
                                            'as a volume.')
    boot_index = item.get('boot_index')
    size = item.get('volume_size')
    return _bdm_row(
        source_type=source, destination_type=destination,
        boot_index=int(boot_index) if boot_index is not None else None,
        uuid=ref, volume_id=ref if source == 'volume' else None,
        volume_size=int(size) if size is not None else None,
        device_name=item.get('device_name'), device_type=item.get('device_type'), disk_bus=item.get('disk_bus'),
        guest_format=item.get('guest_format'),
        delete_on_termination=common.bool_from_string(item.get('delete_on_termination', False)),
        no_device=item.get('no_device') is not None)


# -- list ------------------------------------------------------------------------------------------

def list_servers(req):
    servers, limit = _list(req, 'os_compute_api:servers:index', with_details=False)
    body = {'servers': [views.summary(req, server.instance) for server in servers]}
    return _paged(req, body, 'servers', servers, limit)


def list_servers_detail(req):
    servers, limit = _list(req, 'os_compute_api:servers:detail', with_details=True)
    show = _viewer(req)
    body = {'servers': [show(server) for server in servers]}
    return _paged(req, body, 'servers/detail', servers, limit)


def _paged(req, body, collection, servers, limit):
    page_links = common.next_links(req, collection, [{'id': s.instance['uuid']} for s in servers], limit)
    if page_links:
        body['servers_links'] = page_links
    return wsgi.json_response(body)


def _list(req, rule, with_details):
    context = req.context
    req.services.authorize(context, rule)
    params = req.params_multi()
    if 'all_tenants' in params and _all_tenants(params['all_tenants'][-1]):
        req.services.authorize(context, rule + ':get_all_tenants')
        all_tenants = True
    else:
        all_tenants = False
    if not req.services.allows(req.context, 'os_compute_api:servers:allow_all_filters'):
        allowed = USER_FILTERS_IP6 if req.supports(microversion.IP6_FILTER_FOR_ALL) else USER_FILTERS
        params = {key: values for key, values in params.items() if key in allowed or key in PAGING_PARAMS}
    is_admin = context.is_admin
    filters = _filters(params, context, all_tenants)
    sort = _sort(params, is_admin)
    limit, marker = common.limit_and_marker(req)
    if filters is None:
        return [], limit
    servers = compute_servers.list_servers(req.services.store, filters, sort, limit, marker, with_details)
    return servers, limit


def _all_tenants(value):
    """nova's is_all_tenants: present with no value is true; otherwise a strict boolean."""
    if value == '':
        return True
    try:
        return common.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidInput(reason="Unrecognized value '%s', acceptable values are: '0', '1', 'f', "
                                            "'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'" % value)


def _last(params, key):
    values = params.get(key)
    return values[-1] if values else None


def _filters(params, context, all_tenants):
    """The db filters for the query, or None when no server can match (an unknown status)."""
    filters = {}
    if all_tenants:
        project = _last(params, 'project_id') or _last(params, 'tenant_id')
        filters['project_id'] = project
    else:
        filters['project_id'] = context.project_id
    for key, name in EXACT_FILTERS.items():
        value = _last(params, key)
        if value is not None:
            filters[name] = value
    if _last(params, 'image') is not None:
        filters['image_ref'] = _last_segment(_last(params, 'image'))
    for key in ('name', 'ip', 'ip6'):
        value = _last(params, key)
        if value:
            filters[key] = _regex(key, value)
    power = _last(params, 'power_state')
    if power is not None:
        try:
            filters['power_state'] = int(power)
        except ValueError:
            raise exception.InvalidInput(reason='power_state must be an integer') from None
    changes_since = _last(params, 'changes-since')
    if changes_since is not None:
        filters['changes_since'] = _parse_time(changes_since)
    deleted = _last(params, 'deleted')
    if deleted is not None:
        filters['deleted'] = common.bool_from_string(deleted)
    elif changes_since is None:
        filters['deleted'] = False
    if params.get('status'):
        wanted = states.states_for_status(params['status'])
        if not wanted:
            return None
        if set(wanted) == {states.DELETED}:
            if not context.is_admin:
                raise exception.Forbidden('Only administrators may list deleted instances')
            filters['deleted'] = True
        filters['states'] = wanted
    return filters


def _regex(name, value):
    """A filter regex, checked here so a bad one is a 400 on every database."""
    try:
        re.compile(value)
    except re.error:
        raise exception.InvalidRegex(name=name, value=value) from None
    return value


def _parse_time(text):
    try:
        value = timeutils.parse_isotime(text)
    except ValueError:
        raise exception.InvalidInput(reason='Invalid changes-since value') from None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _sort(params, is_admin):
    """[(key, dir)] from the repeatable sort_key/sort_dir (nova's get_sort_params and
    process_sort_params), ending with created_at and id so the order is total."""
    keys = [key.strip() for key in params.get('sort_key', [])]
    dirs = [direction.strip() for direction in params.get('sort_dir', [])]
    if len(dirs) > len(keys) and keys:
        raise exception.InvalidInput(reason='Sort direction size exceeds sort key size')
    for direction in dirs:
        if direction not in ('asc', 'desc'):
            raise exception.ValidationError("Invalid input for query parameters sort_dir. Value: %s. "
                                            "'%s' is not one of ['asc', 'desc']" % (direction, direction))
    keys = keys or ['created_at']
    pairs = [(key, dirs[index] if index < len(dirs) else None) for index, key in enumerate(keys)
             if key not in IGNORED_SORT_KEYS and (is_admin or key not in ADMIN_SORT_KEYS)]
    given = [direction for _key, direction in pairs if direction]
    default_dir = given[0] if given else 'desc'
    sort = []
    for key, direction in pairs:
        if key not in db_instances.SORT_KEYS:
            raise exception.ValidationError("Invalid input for query parameters sort_key. Value: %s. '%s' is "
                                            "not one of the server sort keys" % (key, key))
        if key not in [k for k, _d in sort]:
            sort.append((key, direction or default_dir))
    for key in ('created_at', 'id'):
        if key not in [k for k, _d in sort]:
            sort.append((key, default_dir))
    return sort


# -- one server ------------------------------------------------------------------------------------

def show_server(req):
    server = common.authorized_server(req, 'os_compute_api:servers:show')
    return wsgi.json_response({'server': _viewer(req)(server)})


def update_server(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:update')
    body = validation.validate_body(req, schemas.update)['server']
    values = {}
    if 'name' in body:
        name = body['name'].strip()
        if not name:
            raise exception.ValidationError('Server name is not defined')
        values['display_name'] = name
    for key, column in (('accessIPv4', 'access_ip_v4'), ('accessIPv6', 'access_ip_v6')):
        if key in body:
            values[column] = _address(body[key])
    if 'OS-DCF:diskConfig' in body:
        values['auto_disk_config'] = body['OS-DCF:diskConfig'] == 'AUTO'
    server = compute_servers.update(req.services.store, req.context, instance, values)
    hidden = tuple(req.services.conf.api.hide_server_address_states)
    return wsgi.json_response({'server': views.basic(req, server, hidden)})


def delete_server(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:delete')
    compute_servers.delete(req.services, req.context, instance)
    return wsgi.empty_response(204)
