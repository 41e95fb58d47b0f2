"""Bodies of PUT /os-quota-sets/{tenant_id} and PUT /os-quota-class-sets/{id} (nova's schemas at
2.1: every quota an integer, or a string of one, of at least -1; unknown keys are a 400).

The legacy v2 endpoint checks these bodies as nova's v2 controllers did (handlers/quota_sets.py).
"""
from compute_api.api.schemas import parameter_types
from compute_api.api.validation import Schema

# The quota names of the API (injected_file_path_bytes is the injected_file_path_length quota).
QUOTA_NAMES = ('instances', 'cores', 'ram', 'floating_ips', 'fixed_ips', 'metadata_items', 'key_pairs',
               'security_groups', 'security_group_rules', 'injected_files', 'injected_file_content_bytes',
               'injected_file_path_bytes', 'server_groups', 'server_group_members')

_quota = {'type': ['integer', 'string'], 'pattern': r'^-?[0-9]+$', 'minimum': -1}


def _body(key, extra=None):
    properties = {name: _quota for name in QUOTA_NAMES}
    properties.update(extra or {})
    return {
        'type': 'object',
        'properties': {
            key: {'type': 'object', 'properties': properties, 'additionalProperties': False},
        },
        'required': [key],
        'additionalProperties': False,
    }


update = Schema(_body('quota_set', {'force': parameter_types.boolean}))
update_class = Schema(_body('quota_class_set'))
