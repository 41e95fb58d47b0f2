"""Request body validation: jsonschema validators compiled once per schema.

v2.1 is strict (unknown keys are a 400). The legacy v2 endpoint is lenient as nova's v2.0
compatible mode: unknown keys are stripped instead of rejected, except in objects that declare
patternProperties (metadata), where every key must match.
"""
import base64
import binascii
import ipaddress
import re
import uuid

import jsonschema
from jsonschema import validators

from compute_api import exception

format_checker = jsonschema.FormatChecker()


@format_checker.checks('uuid')
def _is_uuid(instance):
    if not isinstance(instance, str):
        return True
    try:
        uuid.UUID(instance)
    except ValueError:
        return False
    return True


@format_checker.checks('ipv4')
def _is_ipv4(instance):
    if not isinstance(instance, str):
        return True
    try:
        ipaddress.IPv4Address(instance)
    except ValueError:
        return False
    return True


@format_checker.checks('ipv6')
def _is_ipv6(instance):
    if not isinstance(instance, str):
        return True
    try:
        ipaddress.IPv6Address(instance)
    except ValueError:
        return False
    return True


_BASE64_RE = re.compile(r'^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$')


def decode_base64(text):
    """Strict base64 (nova's rule: whitespace ignored, padding required); None when invalid."""
    if not isinstance(text, str):
        return None
    compact = re.sub(r'\s', '', text)
    if not _BASE64_RE.match(compact):
        return None
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


@format_checker.checks('base64')
def _is_base64(instance):
    return not isinstance(instance, str) or decode_base64(instance) is not None


def _strip_additional_properties(validator, additional, instance, schema):
    """additionalProperties for the legacy endpoint: drop unknown keys instead of failing."""
    if not validator.is_type(instance, 'object'):
        return
    if schema.get('patternProperties'):
        yield from validators.Draft4Validator.VALIDATORS['additionalProperties'](
            validator, additional, instance, schema)
        return
    if additional is False:
        known = set(schema.get('properties', {}))
        for key in [k for k in instance if k not in known]:
            del instance[key]


_StrictValidator = validators.Draft4Validator
_LenientValidator = validators.extend(validators.Draft4Validator,
                                      {'additionalProperties': _strip_additional_properties})


class Schema:
    """A request body schema; `legacy` (optional) is the variant the /v2 endpoint uses."""

    def __init__(self, schema, legacy=None):
        _StrictValidator.check_schema(schema)
        self.strict = _StrictValidator(schema, format_checker=format_checker)
        self.lenient = _LenientValidator(legacy or schema, format_checker=format_checker)

    def validate(self, body, legacy_v2=False):
        """Raise ValidationError (400) unless `body` conforms; the legacy variant may remove keys."""
        validator = self.lenient if legacy_v2 else self.strict
        error = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is None:
            return body
        if error.path:
            detail = 'Invalid input for field/attribute %s. Value: %s. %s' % (
                error.path[-1], _short(error.instance), error.message)
        else:
            detail = error.message
        raise exception.ValidationError(detail)


class ByVersion:
    """Request body schemas per microversion range: (first version or None, Schema) pairs in
    ascending order; a request takes the last one its version reaches (/v2 takes the first)."""

    def __init__(self, *ranges):
        self.ranges = ranges

    def for_version(self, version):
        chosen = self.ranges[0][1]
        for first, schema in self.ranges[1:]:
            if version is not None and version >= first:
                chosen = schema
        return chosen


def _short(value, limit=200):
    text = str(value)
    return text if len(text) <= limit else text[:limit] + '...'


def validate_body(req, schema):
    """The request's JSON body validated against `schema` for the endpoint it came through."""
    body = req.json_body()
    if body is None:
        body = {}
    if isinstance(schema, ByVersion):
        schema = schema.for_version(req.api_version)
    return schema.validate(body, legacy_v2=req.legacy_v2)
