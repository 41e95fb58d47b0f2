"""Bodies of /os-aggregates and its actions (nova 2.1)."""
import copy

from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema

availability_zone = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255}
hostname = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': '^[a-zA-Z0-9-._]*$'}
metadata_with_null = copy.deepcopy(parameter_types.metadata)
metadata_with_null['patternProperties'][r'^[a-zA-Z0-9-_:. ]{1,255}$']['type'] = ['string', 'null']


def _envelope(key, properties, required=(), **extra):
    return Schema({
        'type': 'object',
        'properties': {key: dict({'type': 'object', 'properties': properties, 'additionalProperties': False},
                                 **({'required': list(required)} if required else {}), **extra)},
        'required': [key],
        'additionalProperties': False,
    })


create = _envelope('aggregate', {'name': parameter_types.name, 'availability_zone': availability_zone},
                   required=['name'])
update = _envelope('aggregate', {'name': parameter_types.name, 'availability_zone': availability_zone},
                   anyOf=[{'required': ['name']}, {'required': ['availability_zone']}])
add_host = _envelope('add_host', {'host': hostname}, required=['host'])
remove_host = _envelope('remove_host', {'host': hostname}, required=['host'])
set_metadata = _envelope('set_metadata', {'metadata': metadata_with_null}, required=['metadata'])
