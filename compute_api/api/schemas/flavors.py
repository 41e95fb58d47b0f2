"""Bodies of flavor management: POST /flavors, os-extra_specs, and the os-flavor-access actions
(nova's flavor_manage, flavors_extraspecs and flavor_access schemas).

Numbers may come as integer strings; their ranges are checked in compute/flavors.py (nova's
validate_integer messages), since a schema's minimum does not apply to strings.
"""
import copy

from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema

_MAX_INT = 0x7FFFFFFF


def _flavor_body(name):
    return {
        'type': 'object',
        'properties': {
            'flavor': {
                'type': 'object',
                'properties': {
                    'name': name,
                    'id': {'type': ['string', 'number', 'null'], 'minLength': 1, 'maxLength': 255,
                           'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'},
                    'ram': dict(parameter_types.positive_integer, maximum=_MAX_INT),
                    'vcpus': dict(parameter_types.positive_integer, maximum=_MAX_INT),
                    'disk': dict(parameter_types.non_negative_integer, maximum=_MAX_INT),
                    'OS-FLV-EXT-DATA:ephemeral': dict(parameter_types.non_negative_integer, maximum=_MAX_INT),
                    'swap': dict(parameter_types.non_negative_integer, maximum=_MAX_INT),
                    'rxtx_factor': {'type': ['number', 'string'], 'pattern': r'^[0-9]+(\.[0-9]+)?$',
                                    'minimum': 0, 'exclusiveMinimum': True, 'maximum': 3.40282e+38},
                    'os-flavor-access:is_public': parameter_types.boolean,
                },
                'required': ['name', 'ram', 'vcpus', 'disk'],
                'additionalProperties': False,
            },
        },
        'required': ['flavor'],
        'additionalProperties': False,
    }


create = Schema(_flavor_body(parameter_types.name), _flavor_body(parameter_types.name_legacy))

# Extra specs: metadata whose values may also be numbers (stored as strings).
_extra_specs = copy.deepcopy(parameter_types.metadata)
_extra_specs['patternProperties'][r'^[a-zA-Z0-9-_:. ]{1,255}$']['type'] = ['string', 'number']

extra_specs_create = Schema({
    'type': 'object',
    'properties': {'extra_specs': _extra_specs},
    'required': ['extra_specs'],
    'additionalProperties': False,
})

extra_spec_update = Schema(dict(copy.deepcopy(_extra_specs), minProperties=1, maxProperties=1))


def _tenant_action(action):
    return Schema({
        'type': 'object',
        'properties': {
            action: {
                'type': 'object',
                'properties': {'tenant': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
                'required': ['tenant'],
                'additionalProperties': False,
            },
        },
        'required': [action],
        'additionalProperties': False,
    })


add_tenant_access = _tenant_action('addTenantAccess')
remove_tenant_access = _tenant_action('removeTenantAccess')
