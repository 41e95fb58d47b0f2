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
    # Legacy v2 also took an image URL.
    legacy_properties={'name': parameter_types.name_legacy, 'metadata': parameter_types.metadata_legacy,
                       'imageRef': {'type': 'string', 'minLength': 1}})

resize = _action('resize', {'flavorRef': parameter_types.flavor_ref,
                            'OS-DCF:diskConfig': parameter_types.disk_config},
                 required=['flavorRef'])

create_image = _action(
    'createImage', {'name': parameter_types.name, 'metadata': parameter_types.metadata},
    required=['name'],
    legacy_properties={'name': parameter_types.name_legacy, 'metadata': parameter_types.metadata_legacy})


create_backup = _action(
    'createBackup', {'name': parameter_types.name, 'backup_type': {'type': 'string'},
                     'rotation': parameter_types.non_negative_integer, 'metadata': parameter_types.metadata},
    required=['name', 'backup_type', 'rotation'],
    legacy_properties={'name': parameter_types.name_legacy, 'metadata': parameter_types.metadata_legacy})

# The body may be null: {"rescue": null}.
rescue = Schema({
    'type': 'object', 'required': ['rescue'], 'additionalProperties': False,
    'properties': {'rescue': {
        'type': ['object', 'null'], 'additionalProperties': False,
        'properties': {'adminPass': parameter_types.admin_password, 'rescue_image_ref': parameter_types.uuid}}}})

console_output = _action(
    'os-getConsoleOutput',
    # -1 means the whole log; strings of digits are numbers too.
    {'length': {'type': ['integer', 'string', 'null'], 'pattern': '^-?[0-9]+$', 'minimum': -1}})

reset_state = _action('os-resetState', {'state': {'type': 'string', 'enum': ['active', 'error']}},
                      required=['state'])

migrate_live = _action(
    'os-migrateLive', {'block_migration': parameter_types.boolean, 'disk_over_commit': parameter_types.boolean,
                       'host': {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255}},
    required=['block_migration', 'disk_over_commit', 'host'])
