"""The Compute API's OpenAPI description as response schemas per (path, method, status, microversion).

The description (tests/functional/specs/, trimmed from the shared copy by tools/trim_openapi.py) is
generated from nova's response schemas. Its response schemas are the union over all versions:
each property, or oneOf branch, that exists only in a version range carries
`x-openstack: {min-ver, max-ver}`, a microversion oneOf is tagged
`x-openstack: {discriminator: microversion}` and a server action's response branch names its
action (`x-openstack: {action-name}`). `Description.schema()` projects that union onto one
version: a property outside its range becomes `false` (it must be absent; the union would let a
field leak below its version), branches outside their range are dropped, and for an action only
its own branch is kept. Objects that list their properties are then closed to others.
"""
import copy
import functools
import json
import os
import re

import jsonschema

from compute_api.api import microversion

SPEC_PATH = os.path.join(os.path.dirname(__file__), 'specs', 'compute-v2.96.responses.json')
PREFIX = '/v2.1'


# The description marks names and project ids (Keystone's are 32 hex digits) "uuid" as well as
# ids; that format is not checked. The others (ipv4, ipv6, uri, date-time, ...) are.
FORMATS = jsonschema.FormatChecker([name for name in jsonschema.FormatChecker.checkers if name != 'uuid'])


@functools.lru_cache(maxsize=1)
def _document():
    with open(SPEC_PATH) as f:
        return json.load(f)


class NotDescribed(LookupError):
    """The description has no such path, method, status or action."""


def template(path):
    """A path with its parameters' names left out, so /servers/{server_id} is /servers/{id}'s."""
    return re.sub(r'{[^}]*}', '{}', path)


def _version(text):
    return microversion.APIVersion.parse(text)


def _next(version):
    return microversion.APIVersion(version[0], version[1] + 1)


def _range(node):
    tags = node.get('x-openstack') if isinstance(node, dict) else None
    if not isinstance(tags, dict):
        return None, None
    low, high = tags.get('min-ver'), tags.get('max-ver')
    return _version(low) if low else None, _version(high) if high else None


def _action(branch):
    tags = branch.get('x-openstack') if isinstance(branch, dict) else None
    return tags.get('action-name') if isinstance(tags, dict) else None


def _in_range(node, version):
    low, high = _range(node)
    return (low is None or version >= low) and (high is None or version <= high)


class Description:
    def __init__(self, document):
        self.schemas = document['components']['schemas']
        self.operations = {}  # (template without /v2.1, METHOD) -> {status: schema or None}
        for path, methods in document['paths'].items():
            if path.startswith(PREFIX + '/'):
                for method, operation in methods.items():
                    self.operations[template(path[len(PREFIX):]) or '/', method.upper()] = {
                        status: response.get('schema') for status, response in operation['responses'].items()}

    @classmethod
    def load(cls):
        return cls(copy.deepcopy(_document()))

    def amend(self, name, keys, value):
        """Sets component schema `name`'s part at `keys` (a path of keys and indexes) to `value`
        (a callable: its value for the component schemas)."""
        if callable(value):
            value = value(self.schemas)
        if not keys:
            self.schemas[name] = value
            return
        node = self.schemas[name]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    def describes(self, path, method):
        return (template(path), method) in self.operations

    def _responses(self, path, method):
        try:
            return self.operations[template(path), method]
        except KeyError:
            raise NotDescribed('%s %s is not in the description' % (method, path)) from None

    def _resolve(self, node, seen=()):
        """The schema with every $ref replaced by its target (the description has no cycles)."""
        if isinstance(node, list):
            return [self._resolve(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        if '$ref' in node:
            name = node['$ref'].rsplit('/', 1)[1]
            if name in seen:
                raise ValueError('cyclic $ref %s' % name)
            target = dict(self._resolve(self.schemas[name], seen + (name,)))
            target.update({k: self._resolve(v, seen) for k, v in node.items() if k != '$ref'})
            return target
        return {key: self._resolve(value, seen) for key, value in node.items()}

    def _response_schema(self, path, method, status, action):
        """The resolved schema of a response (None: no body); for an action, its own branch (an
        action that no status has a branch for has no body)."""
        responses = self._responses(path, method)
        if str(status) not in responses:
            raise NotDescribed('%s %s has no %s response in the description' % (method, path, status))
        schema = self._resolve(responses[str(status)])
        if action is None:
            return schema
        branches = [b for b in (schema or {}).get('oneOf', [schema]) if _action(b) == action]
        if len(branches) == 1:
            return branches[0]
        elsewhere = self.action_statuses(path, action)
        if elsewhere:
            raise NotDescribed('%s %s: action %s has a body under %s, not %s' % (method, path, action,
                                                                                 '/'.join(elsewhere), status))
        return None

    def action_statuses(self, path, action):
        """The statuses under which the description has a body for `action` (POST .../action)."""
        found = []
        for status, schema in self._responses(path, 'POST').items():
            schema = self._resolve(schema) or {}
            if any(_action(b) == action for b in schema.get('oneOf', [schema])):
                found.append(status)
        return found

    def versions(self, path, method, status, action=None):
        """The versions in the server's range where the response's schema changes: the minimum,
        every min-ver and every max-ver's successor inside the range, and the maximum."""
        bounds = {microversion.MIN_VERSION, microversion.MAX_VERSION}

        def collect(node):
            if isinstance(node, dict):
                low, high = _range(node)
                bounds.update(v for v in (low, high and _next(high)) if v)
                for value in node.values():
                    collect(value)
            elif isinstance(node, list):
                for value in node:
                    collect(value)

        collect(self._response_schema(path, method, status, action))
        return sorted(v for v in bounds if microversion.MIN_VERSION <= v <= microversion.MAX_VERSION)

    def schema(self, path, method, status, version, action=None):
        """The JSON schema of the response body at `version` (an APIVersion); None: no body."""
        schema = self._response_schema(path, method, status, action)
        return None if schema is None else _at_version(schema, version)

    def validate(self, path, method, status, version, body, action=None):
        """Raises jsonschema.ValidationError when `body` (parsed JSON, or None for an empty body)
        does not match; AssertionError when a body is there but none is described, or the reverse."""
        schema = self.schema(path, method, status, version, action)
        if schema is None:
            assert body is None, '%s %s %s: the description has no body, got %r' % (method, path, status, body)
            return
        if body is None:
            # A body whose every property comes at a later version is no body at this one
            # (createImage's 202 before 2.45).
            assert schema.get('properties') and not any(schema['properties'].values()), (
                '%s %s %s: the description has a body, got none' % (method, path, status))
            return
        validator = jsonschema.Draft202012Validator(_closed(schema), format_checker=FORMATS)
        error = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is not None:
            raise error


def constrains(schema):
    """Whether a response schema says more than "an object" (None, no body, says it is empty)."""
    if schema is None:
        return True
    if 'oneOf' in schema or 'anyOf' in schema:
        return any(constrains(branch) for branch in schema.get('oneOf', []) + schema.get('anyOf', []))
    return bool(schema.get('properties') or 'additionalProperties' in schema or 'patternProperties' in schema)


def _closed(node):
    """The schema with every object that lists its properties closed to others: most of the
    description's objects do not say additionalProperties: false, and a key it does not name is
    a field nova does not send (or one the description misses: the test's ERRATA add those)."""
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _closed(value) for key, value in node.items()}
    if 'properties' in out and 'additionalProperties' not in out and 'patternProperties' not in out:
        out['additionalProperties'] = False
    return out


def _at_version(node, version):
    """The schema as it is at `version` (see the module's docstring)."""
    if isinstance(node, list):
        return [_at_version(item, version) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == 'properties':
            out[key] = {name: _at_version(sub, version) if _in_range(sub, version) else False
                        for name, sub in value.items()}
        elif key in ('oneOf', 'anyOf'):
            branches = [_at_version(b, version) for b in value if _in_range(b, version)]
            if node.get('x-openstack', {}).get('discriminator') == 'microversion':
                assert len(branches) == 1, 'not one microversion branch at %s' % version
            out[key] = branches
        else:
            out[key] = _at_version(value, version)
    if 'required' in out and 'properties' in out:
        out['required'] = [name for name in out['required'] if out['properties'].get(name, True) is not False]
    return out
