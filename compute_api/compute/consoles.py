"""Remote consoles: a token for a server's console, the URL that carries it, and the look-up the
console proxy and os-console-auth-tokens make with it.

A token is a random UUID (nova's) handed out once in the URL; only its SHA-256 is stored, with
where the console listens and when the token expires ([consoleauth] token_ttl). Deleting the
server deletes its tokens.
"""
import dataclasses
import datetime
import hashlib
import logging
import urllib.parse
import uuid

from compute_api import exception
from compute_api.compute import servers
from compute_api.compute import states
from compute_api.db import console_auth_tokens as db
from compute_api.db.store import utcnow
from compute_api.virt import driver as driver_mod

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Protocol:
    name: str            # the driver's name of it: vnc, spice, serial, mks
    console_type: str    # the one console type served for it
    group: str           # its configuration group, whose `enabled` turns it on (None: never on)
    url_option: str      # the option of `group` holding the base URL handed to clients


PROTOCOLS = {protocol.name: protocol for protocol in (
    Protocol('vnc', 'novnc', 'vnc', 'novncproxy_base_url'),
    Protocol('spice', 'spice-html5', 'spice', 'html5proxy_base_url'),
    Protocol('serial', 'serial', 'serial_console', 'base_url'),
    # VMware's; no driver here serves it (nova answers 501 for such a driver).
    Protocol('mks', 'webmks', None, None),
)}

# nova's reject_instance_state on the console calls.
_REFUSED_TASK_STATES = (states.DELETING, states.MIGRATING)


def token_hash(token):
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def access_url(base, console_type, token):
    """The client's URL: noVNC (1.1 and later) wants the token inside its `path` query, which it
    opens as the websocket's path; the others take `?token=`."""
    if console_type != 'novnc':
        return '%s?token=%s' % (base, token)
    parsed = urllib.parse.urlparse(base)
    query = urllib.parse.parse_qs(parsed.query)
    query['path'] = ['%s?token=%s' % (query.get('path', [''])[0], token)]
    return parsed._replace(query=urllib.parse.urlencode(query, doseq=True)).geturl()


def get_console_url(services, instance, protocol_name, console_type):
    """A new token for the server's `protocol_name` console of `console_type`, and its URL.
    InstanceNotReady before the server has a host, InstanceInvalidState while it is deleted or
    migrated, ConsoleTypeUnavailable for a protocol turned off (or one its guest lacks),
    ConsoleTypeInvalid for a type the protocol does not serve, NotImplementedYet for a protocol
    the driver never serves."""
    protocol = PROTOCOLS[protocol_name]
    target = servers.hosted_driver_instance(services.store, instance)
    if instance['task_state'] in _REFUSED_TASK_STATES:
        raise exception.InstanceInvalidState(action='get_%s_console' % protocol.name, instance_id=instance['uuid'],
                                             attr='task_state', state=instance['task_state'])
    conf = services.conf
    if protocol.group is not None and not conf[protocol.group].enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    if protocol.group is not None and console_type != protocol.console_type:
        raise exception.ConsoleTypeInvalid(console_type=console_type)
    try:
        console = services.driver.get_console(target, protocol.name)
    except NotImplementedError:
        raise exception.NotImplementedYet('The requested functionality is not supported.') from None
    except driver_mod.DriverInstanceNotFound:
        if instance['vm_state'] == states.BUILDING:
            raise exception.InstanceNotReady(instance_id=instance['uuid']) from None
        raise exception.InstanceNotFound(instance_id=instance['uuid']) from None
    except driver_mod.DriverError:
        LOG.exception('Server %s: reading its %s console failed', instance['uuid'], protocol.name)
        raise exception.ConsoleTypeUnavailable(console_type=protocol.name) from None
    token = str(uuid.uuid4())
    base = conf[protocol.group][protocol.url_option]
    now = utcnow()
    services.store.transact(db.create, {
        'token_hash': token_hash(token), 'instance_uuid': instance['uuid'], 'console_type': console_type,
        'host': console.host, 'port': console.port, 'internal_access_path': console.internal_access_path,
        'access_url_base': base, 'expires': now + datetime.timedelta(seconds=conf.consoleauth.token_ttl)}, now)
    LOG.info('Server %s: %s console token issued', instance['uuid'], console_type)
    return access_url(base, console_type, token)


def connect_info(store, token):
    """The console row of a valid token (instance_uuid, console_type, host, port,
    internal_access_path, expires); ConsoleTokenNotFound for an unknown or expired one."""
    if not token:
        raise exception.ConsoleTokenNotFound()
    with store.read() as conn:
        row = db.get_valid(conn, token_hash(token), utcnow())
    if row is None:
        raise exception.ConsoleTokenNotFound()
    return row
