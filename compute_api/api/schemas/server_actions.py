"""Bodies of POST /servers/{server_id}/action, one schema per action key (nova's schemas).

Actions nova accepts with any body value (confirmResize, revertResize, os-start, os-stop, lock,
unlock) have no schema. The legacy /v2 variants allow names with surrounding spaces, metadata
keys of any characters (lengths checked in code: 413) and a reboot type in any case.
"""
import copy

from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema


def _action(key, properties, required=(), legacy_properties=None):
    """A Schema for {key: {properties}}; the legacy variant overrides some properties."""
    def body(props):
        inner = {'type': 'object', 'properties': props, 'additionalProperties': False}
        if required:
            inner['required'] = list(required)
        return {'type': 'object', 'properties': {key: inner}, 'required': [key],
                'additionalProperties': False}

    strict = body(properties)
    legacy = None
    if legacy_properties:
        legacy = body(dict(copy.deepcopy(properties), **legacy_properties))
    return Schema(strict, legacy)


personality = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'path': {'type': 'string'},
            'contents': parameter_types.base64,
        },
        'additionalProperties': False,
    },
}

change_password = _action('changePassword', {'adminPass': parameter_types.admin_password},
                          required=['adminPass'])

reboot = _action(
    'reboot', {'type': {'type': 'string', 'enum': ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']}},
    required=['type'],
    # Legacy v2 upper-cased whatever it got.
    legacy_properties={'type': {'type': 'string', 'pattern': '(?i)^(hard|soft)$'}})

rebuild = _action(
    'rebuild', {
        'name': parameter_types.name,
        'imageRef': parameter_types.uuid,
        'adminPass': parameter_types.admin_password,
        'metadata': parameter_types.metadata,
        'preserve_ephemeral': parameter_types.boolean,
        'OS-DCF:diskConfig': parameter_types.disk_config,
        'accessIPv4': parameter_types.ipv4,
        'accessIPv6': parameter_types.ipv6,
        'personality': personality,
    },
    required=['imageRef'],
    legacy_properties={'name': parameter_types.name_legacy, 'metadata': parameter_types.metadata_legacy})

resize = _action('resize', {'flavorRef': parameter_types.flavor_ref,
                            'OS-DCF:diskConfig': parameter_types.disk_config},
                 required=['flavorRef'])

create_image = _action(
    'createImage', {'name': parameter_types.name, 'metadata': parameter_types.metadata},
    required=['name'],
    legacy_properties={'name': parameter_types.name_legacy, 'metadata': parameter_types.metadata_legacy})
