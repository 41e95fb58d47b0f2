"""quota_set and quota_class_set documents (nova's shapes at 2.1)."""

# Internal quota names that the API spells differently, and back.
_API_NAMES = {'injected_file_path_length': 'injected_file_path_bytes'}
_INTERNAL_NAMES = {api: internal for internal, api in _API_NAMES.items()}


def internal_name(api_name):
    return _INTERNAL_NAMES.get(api_name, api_name)


def _named(values):
    return {_API_NAMES.get(resource, resource): value for resource, value in values.items()}


def quota_set(limits, project_id=None):
    """{quota_set: {id?, <quota>: limit}}: with the project id, except in an update's answer."""
    body = {'id': project_id} if project_id is not None else {}
    body.update(_named(limits))
    return {'quota_set': body}


def quota_set_detail(detail, project_id):
    """{quota_set: {id, <quota>: {limit, in_use, reserved}}}."""
    return quota_set({resource: dict(values) for resource, values in detail.items()}, project_id)


def quota_class_set(limits, class_name=None):
    """{quota_class_set: {id?, <quota>: limit}}: with the class name, except in an update's answer."""
    body = {'id': class_name} if class_name is not None else {}
    body.update(_named(limits))
    return {'quota_class_set': body}
