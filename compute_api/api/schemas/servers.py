"""Bodies of POST /servers and PUT /servers/{server_id} (nova's v2.1 schemas, catalogue §8).

imageRef and flavorRef are a plain id or a full URL whose last path segment is the id; the code
resolves them (nova's messages: "Invalid imageRef provided." / "Invalid flavorRef provided.").
The legacy /v2 variants strip unknown keys, allow names with surrounding spaces (stripped by the
handler), metadata keys of any characters (lengths are a 413 checked in code), null user_data,
and flavorRef as an integer.
"""
import copy

from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema

_boot_index = {'type': ['integer', 'string', 'null'], 'pattern': '^-?[0-9]+$'}

_legacy_bdm = {
    'virtual_name': {'type': 'string', 'maxLength': 255},
    'volume_id': parameter_types.uuid,
    'snapshot_id': parameter_types.uuid,
    'volume_size': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1,
                    'maximum': 2147483647},
    'device_name': {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': '^[a-zA-Z0-9._/-]*$'},
    'delete_on_termination': parameter_types.boolean,
    'no_device': {},
    'connection_info': {'type': 'string', 'maxLength': 16777215},
}

_bdm_v2 = dict(_legacy_bdm, **{
    'source_type': {'type': 'string', 'enum': ['volume', 'image', 'snapshot', 'blank']},
    'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': '^[a-zA-Z0-9._-]*$'},
    'image_id': parameter_types.uuid,
    'destination_type': {'type': 'string', 'enum': ['local', 'volume']},
    'guest_format': {'type': 'string', 'maxLength': 255},
    'device_type': {'type': 'string', 'maxLength': 255},
    'disk_bus': {'type': 'string', 'maxLength': 255},
    'boot_index': _boot_index,
})

_networks = {
    'oneOf': [
        {'type': 'array',
         'items': {'type': 'object',
                   'properties': {'fixed_ip': {'type': 'string', 'oneOf': [{'format': 'ipv4'},
                                                                            {'format': 'ipv6'}]},
                                  'port': {'type': ['string', 'null'], 'format': 'uuid'},
                                  'uuid': {'type': 'string'}},
                   'additionalProperties': False}},
        {'type': 'string', 'enum': ['auto', 'none']},
    ],
}

_personality = {
    'type': 'array',
    'items': {'type': 'object',
              'properties': {'path': {'type': 'string'}, 'contents': parameter_types.base64},
              'required': ['path', 'contents'],
              'additionalProperties': False},
}

_server_properties = {
    'name': parameter_types.name,
    'imageRef': {'type': 'string'},
    'flavorRef': parameter_types.flavor_ref,
    'adminPass': parameter_types.admin_password,
    'metadata': parameter_types.metadata,
    'networks': _networks,
    'OS-DCF:diskConfig': parameter_types.disk_config,
    'accessIPv4': parameter_types.ipv4,
    'accessIPv6': parameter_types.ipv6,
    'personality': _personality,
    'availability_zone': parameter_types.name,
    'block_device_mapping': {'type': 'array',
                             'items': {'type': 'object', 'properties': _legacy_bdm,
                                       'additionalProperties': False}},
    'block_device_mapping_v2': {'type': 'array',
                                'items': {'type': 'object', 'properties': _bdm_v2,
                                          'additionalProperties': False}},
    'config_drive': parameter_types.boolean,
    'key_name': parameter_types.name,
    'min_count': parameter_types.positive_integer,
    'max_count': parameter_types.positive_integer,
    'return_reservation_id': parameter_types.boolean,
    'security_groups': {'type': 'array',
                        'items': {'type': 'object', 'properties': {'name': parameter_types.name},
                                  'additionalProperties': False}},
    'user_data': {'type': 'string', 'format': 'base64', 'maxLength': 65535},
}

_scheduler_hints = {'type': 'object', 'additionalProperties': True}


def _create(server_properties):
    return {
        'type': 'object',
        'properties': {
            'server': {'type': 'object', 'properties': server_properties,
                       'required': ['name', 'flavorRef'], 'additionalProperties': False},
            'os:scheduler_hints': _scheduler_hints,
            'OS-SCH-HNT:scheduler_hints': _scheduler_hints,
        },
        'required': ['server'],
        'additionalProperties': False,
    }


_legacy_server_properties = dict(copy.deepcopy(_server_properties), **{
    'name': parameter_types.name_legacy,
    'metadata': parameter_types.metadata_legacy,
    'user_data': {'type': ['string', 'null'], 'format': 'base64', 'maxLength': 65535},
    'availability_zone': {'type': 'string'},
    'key_name': {'type': ['string', 'null']},
    'security_groups': {'type': 'array',
                        'items': {'type': 'object', 'properties': {'name': {'type': 'string'}},
                                  'additionalProperties': False}},
})

create = Schema(_create(_server_properties), legacy=_create(_legacy_server_properties))


def _update(name):
    return {
        'type': 'object',
        'properties': {
            'server': {
                'type': 'object',
                'properties': {
                    'name': name,
                    'OS-DCF:diskConfig': parameter_types.disk_config,
                    'accessIPv4': {'type': 'string', 'oneOf': [{'format': 'ipv4'}, {'maxLength': 0}]},
                    'accessIPv6': {'type': 'string', 'oneOf': [{'format': 'ipv6'}, {'maxLength': 0}]},
                },
                'additionalProperties': False,
            },
        },
        'required': ['server'],
        'additionalProperties': False,
    }


update = Schema(_update(parameter_types.name), legacy=_update(parameter_types.name_legacy))
