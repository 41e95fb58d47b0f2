"""Flavor rules: who sees which flavor, and flavor management (create, delete, extra specs, access)."""
import re
import uuid

import sqlalchemy as sa

from compute_api import exception
from compute_api.db import flavors as db_flavors


def get_flavor(store, context, flavorid):
    """A flavor the caller may see (private ones only with access, or as admin)."""
    with store.read() as conn:
        flavor = db_flavors.get_by_flavorid(conn, flavorid, context.project_id, context.is_admin)
    if flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return flavor


def list_flavors(store, context, is_public, min_ram, min_disk, sort_key, sort_dir, limit, marker):
    """Non-admins always get the public flavors plus the private ones shared with their project,
    never disabled ones; `is_public` (True/False/None = all) is honoured for admins only."""
    if not context.is_admin:
        is_public, disabled = True, False
    else:
        disabled = None
    with store.read() as conn:
        rows = db_flavors.list_flavors(conn, context.project_id, is_public=is_public, disabled=disabled,
                                       min_ram=min_ram, min_disk=min_disk, sort_key=sort_key,
                                       sort_dir=sort_dir, limit=limit, marker=marker)
    if rows is None:
        raise exception.MarkerNotFound(marker=marker)
    return rows


# -- flavor management (admin) ---------------------------------------------------------------------

MAX_INT = 0x7FFFFFFF          # nova's db constant for integer columns
MAX_FLOAT = 3.40282e+38       # nova's SQL_SP_FLOAT_MAX
_VALID_ID = re.compile(r'^[\w\.\- ]*$')

# API name -> (column, smallest value): ram and vcpus are positive, the disks non-negative.
_SIZES = (('ram', 'memory_mb', 1), ('vcpus', 'vcpus', 1), ('disk', 'root_gb', 0),
          ('ephemeral', 'ephemeral_gb', 0), ('swap', 'swap', 0))


def _integer(value, name, minimum):
    """nova's validate_integer: an int (or integer string) in [minimum, MAX_INT]."""
    try:
        number = int(str(value))
    except ValueError:
        raise exception.InvalidInput(reason='%s must be an integer' % name)
    if number < minimum:
        raise exception.InvalidInput(reason='%s must be >= %d' % (name, minimum))
    if number > MAX_INT:
        raise exception.InvalidInput(reason='%s must be <= %d' % (name, MAX_INT))
    return number


def _flavor_values(name, flavorid, sizes, rxtx_factor, is_public):
    """The flavors row for a create, validated as nova's flavors.create does."""
    flavorid = str(flavorid) if flavorid is not None else ''
    if not flavorid:
        flavorid = str(uuid.uuid4())
    if flavorid.strip() != flavorid:
        raise exception.InvalidInput(reason='id cannot contain leading and/or trailing whitespace(s)')
    if not _VALID_ID.match(flavorid):
        raise exception.InvalidInput(reason='Flavor id can only contain letters from A-Z (both cases), '
                                            'periods, dashes, underscores and spaces.')
    values = {'flavorid': flavorid, 'name': name.strip()}
    for api_name, column, minimum in _SIZES:
        values[column] = _integer(sizes.get(api_name, 0), api_name, minimum)
    try:
        values['rxtx_factor'] = float(rxtx_factor)
        if not 0 < values['rxtx_factor'] <= MAX_FLOAT:
            raise ValueError()
    except ValueError:
        raise exception.InvalidInput(reason="'rxtx_factor' argument must be a float between 0 and %g"
                                            % MAX_FLOAT)
    try:
        values['is_public'] = _strict_bool(is_public)
    except ValueError:
        raise exception.InvalidInput(reason='is_public must be a boolean')
    values['disabled'] = False
    return values


def _strict_bool(value):
    """oslo's strict bool_from_string (JSON booleans as themselves)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('1', 't', 'true', 'on', 'y', 'yes'):
        return True
    if text in ('0', 'f', 'false', 'off', 'n', 'no'):
        return False
    raise ValueError(value)


def _raise_duplicate(conn, values):
    duplicate = db_flavors.find_duplicate(conn, values['flavorid'], values['name'])
    if duplicate == 'id':
        raise exception.FlavorIdExists(flavor_id=values['flavorid'])
    if duplicate == 'name':
        raise exception.FlavorExists(name=values['name'])


def create_flavor(store, name, flavorid=None, sizes=None, rxtx_factor=1.0, is_public=True):
    """A new flavor; 409 when its id or name is taken (also when a concurrent create took it).

    sizes: {'ram', 'vcpus', 'disk', 'ephemeral', 'swap'} (ints or integer strings).
    """
    values = _flavor_values(name, flavorid, sizes or {}, rxtx_factor, is_public)
    try:
        with store.write() as conn:
            _raise_duplicate(conn, values)
            return db_flavors.create(conn, values)
    except sa.exc.IntegrityError:
        with store.read() as conn:
            _raise_duplicate(conn, values)
        raise


def delete_flavor(store, flavorid):
    with store.write() as conn:
        if not db_flavors.delete(conn, flavorid):
            raise exception.FlavorNotFound(flavor_id=flavorid)


# -- extra specs -------------------------------------------------------------------------------------

def _visible_flavor(conn, context, flavorid):
    flavor = db_flavors.get_by_flavorid(conn, flavorid, context.project_id, context.is_admin)
    if flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return flavor


def get_extra_specs(store, context, flavorid):
    with store.read() as conn:
        return db_flavors.extra_specs(conn, _visible_flavor(conn, context, flavorid)['id'])


def get_extra_spec(store, context, flavorid, key):
    specs = get_extra_specs(store, context, flavorid)
    if key not in specs:
        raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid, extra_specs_key=key)
    return specs[key]


def set_extra_specs(store, context, flavorid, specs):
    """Add or overwrite extra specs (values stored as strings, as nova's)."""
    specs = {key: str(value) for key, value in specs.items()}
    store.transact(_set_extra_specs, context, flavorid, specs, retry_duplicate=True)


def _set_extra_specs(conn, context, flavorid, specs):
    db_flavors.set_extra_specs(conn, _visible_flavor(conn, context, flavorid)['id'], specs)


def delete_extra_spec(store, context, flavorid, key):
    with store.write() as conn:
        if not db_flavors.delete_extra_spec(conn, _visible_flavor(conn, context, flavorid)['id'], key):
            raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid, extra_specs_key=key)


# -- access to private flavors ------------------------------------------------------------------------

def list_access(store, context, flavorid):
    """The projects given access to a private flavor (a public one has no list: 404)."""
    with store.read() as conn:
        flavor = _visible_flavor(conn, context, flavorid)
        if flavor['is_public']:
            raise exception.FlavorAccessListPublic()
        return db_flavors.access_projects(conn, flavor['id'])


def add_access(store, context, flavorid, project_id, refuse_public):
    """Give a project access; the resulting access list. `refuse_public`: a public flavor is a
    conflict (nova from 2.7; before, the access row is added and means nothing)."""
    try:
        with store.write() as conn:
            flavor = _visible_flavor(conn, context, flavorid)
            if refuse_public and flavor['is_public']:
                raise exception.FlavorAccessPublic()
            if db_flavors.has_access(conn, flavor['id'], project_id):
                raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)
            db_flavors.add_access(conn, flavor['id'], project_id)
            return db_flavors.access_projects(conn, flavor['id'])
    except sa.exc.IntegrityError:
        raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)


def remove_access(store, context, flavorid, project_id):
    with store.write() as conn:
        flavor = _visible_flavor(conn, context, flavorid)
        if not db_flavors.remove_access(conn, flavor['id'], project_id):
            raise exception.FlavorAccessNotFound(flavor_id=flavorid, project_id=project_id)
        return db_flavors.access_projects(conn, flavor['id'])
