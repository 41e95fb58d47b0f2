#!/usr/bin/env python3
"""Writes tests/functional/specs/compute-v2.96.responses.json from the shared OpenAPI description.

    .venv/bin/python tools/trim_openapi.py [/work/shared/specs/compute-v2.96.openapi.yaml]

The copy keeps what tests/functional/openapi.py reads: every /v2.1 path's response statuses and
their JSON schemas, and the components those reference, with annotations (description, summary,
examples) dropped and the spec's draft-4 leftovers made valid JSON Schema 2020-12 (a boolean
exclusiveMinimum/exclusiveMaximum beside minimum/maximum becomes the number itself). Request
bodies and parameters are left out. The source's sha256 must be the one ORIGIN.md names.
"""
import hashlib
import json
import os
import sys

import yaml

SOURCE = '/work/shared/specs/compute-v2.96.openapi.yaml'
SOURCE_SHA256 = '58e05908085995e7764c06ea11a839c8bde345b62dcab2fd9f7a725501332a26'
TARGET = os.path.join(os.path.dirname(__file__), '..', 'tests', 'functional', 'specs',
                      'compute-v2.96.responses.json')
ANNOTATIONS = frozenset(('description', 'summary', 'examples', 'example', 'title'))
SCHEMA_MAPS = ('properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas')
SCHEMA_LISTS = ('oneOf', 'anyOf', 'allOf', 'prefixItems')
SCHEMA_ONE = ('additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames')


def normalise(schema):
    """A copy of a JSON schema without annotations, in 2020-12 form."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in ANNOTATIONS:
            continue
        if key in SCHEMA_MAPS:
            out[key] = {name: normalise(sub) for name, sub in value.items()}
        elif key in SCHEMA_LISTS:
            out[key] = [normalise(sub) for sub in value]
        elif key in SCHEMA_ONE:
            out[key] = [normalise(sub) for sub in value] if isinstance(value, list) else normalise(value)
        else:
            out[key] = value
    for exclusive, bound in (('exclusiveMinimum', 'minimum'), ('exclusiveMaximum', 'maximum')):
        if isinstance(out.get(exclusive), bool):
            if out.pop(exclusive) and bound in out:
                out[exclusive] = out.pop(bound)
    return out


def references(node, found):
    if isinstance(node, dict):
        ref = node.get('$ref')
        if isinstance(ref, str) and ref.startswith('#/components/schemas/'):
            found.add(ref.rsplit('/', 1)[1])
        for value in node.values():
            references(value, found)
    elif isinstance(node, list):
        for value in node:
            references(value, found)


def trim(spec):
    paths = {}
    for path, operations in spec['paths'].items():
        for method, operation in operations.items():
            if method == 'parameters':
                continue
            responses = {}
            for status, response in operation.get('responses', {}).items():
                schema = response.get('content', {}).get('application/json', {}).get('schema')
                responses[status] = {'schema': normalise(schema)} if schema is not None else {}
            paths.setdefault(path, {})[method] = {'responses': responses}
    components, pending = {}, set()
    references(paths, pending)
    schemas = spec['components']['schemas']
    while pending:
        name = pending.pop()
        if name not in components:
            components[name] = normalise(schemas[name])
            references(components[name], pending)
    return {'openapi': spec['openapi'], 'info': {'title': spec['info']['title'], 'version': spec['info']['version']},
            'paths': paths, 'components': {'schemas': dict(sorted(components.items()))}}


def main(argv):
    source = argv[1] if len(argv) > 1 else SOURCE
    with open(source, 'rb') as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        sys.exit('%s has sha256 %s, not the %s ORIGIN.md names' % (source, digest, SOURCE_SHA256))
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    trimmed = trim(yaml.load(data, Loader=loader))
    with open(TARGET, 'w') as f:
        json.dump(trimmed, f, indent=1, sort_keys=False)
        f.write('\n')
    print('%s: %d paths, %d schemas, %d bytes' % (os.path.normpath(TARGET), len(trimmed['paths']),
                                                  len(trimmed['components']['schemas']), os.path.getsize(TARGET)))


if __name__ == '__main__':
    main(sys.argv)
