"""Body of PUT /os-hosts/{host_name} (nova 2.1): status and/or maintenance_mode."""
from compute_api.api.validation import Schema

_switch = {'type': 'string', 'enum': ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']}

update = Schema({
    'type': 'object',
    'properties': {'status': _switch, 'maintenance_mode': _switch},
    'anyOf': [{'required': ['status']}, {'required': ['maintenance_mode']}],
    'additionalProperties': False,
})
