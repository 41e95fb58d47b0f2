"""Shared JSON-schema fragments (nova's parameter_types, rewritten as data)."""

# Printable characters, no leading/trailing whitespace (nova's valid_name_regex, simplified to the
# categories that matter: no control characters).
_PRINTABLE = r'[^\x00-\x1f\x7f]'

name = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^(?!\s)%s*(?<!\s)$' % _PRINTABLE,
}

# v2.0 compatible: surrounding spaces allowed (nova strips them).
name_legacy = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^%s*\S%s*$' % (_PRINTABLE, _PRINTABLE),
}

description = {'type': ['string', 'null'], 'maxLength': 255}

uuid = {'type': 'string', 'format': 'uuid'}

positive_integer = {
    'type': ['integer', 'string'], 'pattern': r'^[0-9]*$', 'minimum': 1, 'minLength': 1,
}

non_negative_integer = {
    'type': ['integer', 'string'], 'pattern': r'^[0-9]*$', 'minimum': 0, 'minLength': 1,
}

boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f'],
}

metadata = {
    'type': 'object',
    'patternProperties': {
        r'^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}

# Legacy v2: any key of 1..255 characters (longer keys/values are a 413 checked in code).
metadata_legacy = {'type': 'object', 'additionalProperties': {'type': ['string', 'null']}}

ipv4 = {'type': 'string', 'format': 'ipv4'}
ipv6 = {'type': 'string', 'format': 'ipv6'}

flavor_ref = {'type': ['string', 'integer'], 'minLength': 1}

admin_password = {'type': 'string'}

base64 = {'type': 'string', 'format': 'base64'}

disk_config = {'type': 'string', 'enum': ['AUTO', 'MANUAL']}
