"""Remote consoles: the os-get*Console server actions (v2.1 up to 2.5, and /v2) and
POST /servers/{server_id}/remote-consoles (from 2.6), each answering a URL with a new token.

nova's policy os_compute_api:os-remote-consoles (members) governs all of them, checked with the
server's owner as target after the server is found (another project's server is a 404).
os-getRDPConsole is nova's bare 400 at every version it exists: RDP went with Hyper-V.
"""
import webob.exc

from compute_api import exception
from compute_api.api import common
from compute_api.api import microversion
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import remote_consoles as schemas
from compute_api.api.views import consoles as views
from compute_api.compute import consoles

POLICY = 'os_compute_api:os-remote-consoles'


def _console_action(action, protocol, schema):
    def handler(req):
        instance = common.authorized_instance(req, POLICY)
        console_type = validation.validate_body(req, schema)[action]['type']
        url = consoles.get_console_url(req.services, instance, protocol, console_type)
        return wsgi.json_response(views.console(console_type, url))
    handler.__name__ = 'get_%s_console' % protocol
    return microversion.in_versions(handler, until=microversion.REMOTE_CONSOLES)


get_vnc_console = _console_action('os-getVNCConsole', 'vnc', schemas.get_vnc_console)
get_spice_console = _console_action('os-getSPICEConsole', 'spice', schemas.get_spice_console)
get_serial_console = _console_action('os-getSerialConsole', 'serial', schemas.get_serial_console)


def _get_rdp_console(req):
    raise exception.Invalid(webob.exc.HTTPBadRequest.explanation)


get_rdp_console = microversion.in_versions(_get_rdp_console, until=microversion.REMOTE_CONSOLES)

ACTIONS = {'os-getVNCConsole': get_vnc_console, 'os-getSPICEConsole': get_spice_console,
           'os-getSerialConsole': get_serial_console, 'os-getRDPConsole': get_rdp_console}


def _create_remote_console(req):
    instance = common.authorized_instance(req, POLICY)
    body = validation.validate_body(req, schemas.create)['remote_console']
    protocol, console_type = body['protocol'], body['type']
    if protocol == 'rdp':
        raise exception.ConsoleTypeUnavailable(console_type=protocol)
    url = consoles.get_console_url(req.services, instance, protocol, console_type)
    return wsgi.json_response(views.remote_console(protocol, console_type, url))


create_remote_console = microversion.in_versions(_create_remote_console, since=microversion.REMOTE_CONSOLES)
