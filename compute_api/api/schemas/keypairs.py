"""Body of POST /os-keypairs per microversion (nova's keypairs schemas; v2 allows surrounding spaces)."""
from compute_api.api import microversion
from compute_api.api.schemas import parameter_types
from compute_api.api.validation import ByVersion
from compute_api.api.validation import Schema

_TYPE = {'type': 'string', 'enum': ['ssh', 'x509']}


def _create(name, **extra):
    return {
        'type': 'object',
        'properties': {
            'keypair': {
                'type': 'object',
                'properties': {
                    'name': name,
                    'public_key': {'type': 'string'},
                    **extra,
                },
                'required': ['name'],
                'additionalProperties': False,
            },
        },
        'required': ['keypair'],
        'additionalProperties': False,
    }


create = ByVersion(
    (None, Schema(_create(parameter_types.name), _create(parameter_types.name_legacy))),
    (microversion.KEYPAIR_TYPE, Schema(_create(parameter_types.name, type=_TYPE))),
    (microversion.KEYPAIR_USER, Schema(_create(parameter_types.name, type=_TYPE, user_id={'type': 'string'}))),
)
