"""Bodies of PUT /os-services/{enable,disable,disable-log-reason} (nova 2.1's service_update)."""
from compute_api.api.schemas import aggregates
from compute_api.api.validation import Schema

update = Schema({
    'type': 'object',
    'properties': {
        'host': aggregates.hostname,
        'binary': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'disabled_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
})
