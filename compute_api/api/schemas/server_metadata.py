"""Bodies of /servers/{server_id}/metadata[/{key}] (nova's schemas).

Legacy /v2 takes keys of any characters; key/value lengths are checked in code there (413).
"""
import copy

from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema


def _metadata_body(key, metadata, **limits):
    value = dict(copy.deepcopy(metadata), **limits)
    return {'type': 'object', 'properties': {key: value}, 'required': [key], 'additionalProperties': False}


# POST (merge) and PUT (replace all) take the same body.
metadata = Schema(_metadata_body('metadata', parameter_types.metadata),
                  _metadata_body('metadata', parameter_types.metadata_legacy))

# PUT /metadata/{key}: exactly one item. Legacy v2 answered its own messages for these ("Request
# body contains too many items"), so its variant leaves the count to the handler.
meta_item = Schema(_metadata_body('meta', parameter_types.metadata, minProperties=1, maxProperties=1),
                   _metadata_body('meta', parameter_types.metadata_legacy))
