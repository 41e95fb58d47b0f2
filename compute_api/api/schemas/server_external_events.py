"""Body of POST /os-server-external-events (nova 2.1: the network events; volume-extended and
the later names come with later microversions)."""
from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema

NAMES = ['network-changed', 'network-vif-plugged', 'network-vif-unplugged', 'network-vif-deleted']
STATUSES = ['failed', 'completed', 'in-progress']

create = Schema({
    'type': 'object',
    'properties': {
        'events': {
            'type': 'array',
            'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {
                    'server_uuid': parameter_types.uuid,
                    'name': {'type': 'string', 'enum': NAMES},
                    'status': {'type': 'string', 'enum': STATUSES},
                    'tag': {'type': 'string', 'maxLength': 255},
                },
                'required': ['server_uuid', 'name'],
                'additionalProperties': False,
            },
        },
    },
    'required': ['events'],
    'additionalProperties': False,
})
