"""Body of POST /os-keypairs (nova's keypairs schema at 2.1; v2 allows surrounding spaces)."""
from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema


def _create(name):
    return {
        'type': 'object',
        'properties': {
            'keypair': {
                'type': 'object',
                'properties': {
                    'name': name,
                    'public_key': {'type': 'string'},
                },
                'required': ['name'],
                'additionalProperties': False,
            },
        },
        'required': ['keypair'],
        'additionalProperties': False,
    }


create = Schema(_create(parameter_types.name), _create(parameter_types.name_legacy))
