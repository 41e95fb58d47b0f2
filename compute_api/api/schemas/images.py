"""Bodies of /images/{image_id}/metadata[/{key}] (nova's image_metadata schemas).

Legacy /v2 takes keys of any characters; nova's legacy code checked their length (400), which the
handler does for that endpoint.
"""
import copy

from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema


def _body(key, metadata, **limits):
    value = dict(copy.deepcopy(metadata), **limits)
    return {'type': 'object', 'properties': {key: value}, 'required': [key], 'additionalProperties': False}


# POST (merge) and PUT (replace all) take the same body.
metadata = Schema(_body('metadata', parameter_types.metadata),
                  _body('metadata', parameter_types.metadata_legacy))

# PUT /metadata/{key}: exactly one item (legacy v2 answered its own messages for the count).
meta_item = Schema(_body('meta', parameter_types.metadata, minProperties=1, maxProperties=1),
                   _body('meta', parameter_types.metadata_legacy))
