"""Bodies of the console actions (v2.1 up to 2.5, /v2) and of POST /servers/{id}/remote-consoles
(from 2.6; mks/webmks from 2.8), as nova's schemas: the enums still name types no driver serves
(xvpvnc, rdp), which are refused lower down with nova's 400s."""
import copy

from compute_api.api import microversion
from compute_api.api.validation import ByVersion
from compute_api.api.validation import Schema


def _action(key, types):
    return Schema({
        'type': 'object',
        'properties': {key: {
            'type': 'object',
            'properties': {'type': {'type': 'string', 'enum': list(types)}},
            'required': ['type'],
            'additionalProperties': False,
        }},
        'required': [key],
        'additionalProperties': False,
    })


get_vnc_console = _action('os-getVNCConsole', ['novnc', 'xvpvnc'])
get_spice_console = _action('os-getSPICEConsole', ['spice-html5'])
get_serial_console = _action('os-getSerialConsole', ['serial'])

_create_v26 = {
    'type': 'object',
    'properties': {'remote_console': {
        'type': 'object',
        'properties': {
            'protocol': {'type': 'string', 'enum': ['vnc', 'spice', 'serial', 'rdp']},
            'type': {'type': 'string', 'enum': ['novnc', 'xvpvnc', 'spice-html5', 'serial', 'rdp-html5']},
        },
        'required': ['protocol', 'type'],
        'additionalProperties': False,
    }},
    'required': ['remote_console'],
    'additionalProperties': False,
}
_create_v28 = copy.deepcopy(_create_v26)
_create_v28['properties']['remote_console']['properties']['protocol']['enum'].append('mks')
_create_v28['properties']['remote_console']['properties']['type']['enum'].append('webmks')

create = ByVersion((None, Schema(_create_v26)), (microversion.MKS_CONSOLE, Schema(_create_v28)))
