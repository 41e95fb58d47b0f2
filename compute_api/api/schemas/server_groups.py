"""Body of POST /os-server-groups (nova 2.1: exactly one policy, affinity or anti-affinity; the
soft-* policies come with 2.15)."""
from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema

POLICIES = ['anti-affinity', 'affinity']

create = Schema({
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'policies': {
                    'type': 'array',
                    'items': [{'type': 'string', 'enum': POLICIES}],
                    'uniqueItems': True,
                    'minItems': 1,
                    'maxItems': 1,
                    'additionalItems': False,
                },
            },
            'required': ['name', 'policies'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
})
