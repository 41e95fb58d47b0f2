"""compute-api-manage: database migrations (and the other operator commands)."""
import sys
import uuid

from oslo_config import cfg

from compute_api import conf as conf_mod
from compute_api.db import images as db_images
from compute_api.db import store as store_mod


def db_sync(conf, store):
    store.migrate(conf.command.revision or 'head')
    print('Database at revision %s (%s)' % (store.current_revision(),
                                             store.engine.url.render_as_string(hide_password=True)))


def db_version(conf, store):
    print(store.current_revision() or 'None')


def db_downgrade(conf, store):
    store.downgrade(conf.command.revision)
    print('Database at revision %s' % store.current_revision())


def _add_db_parsers(subparsers):
    db = subparsers.add_parser('db', help='Database schema.')
    db_commands = db.add_subparsers(dest='db_command', required=True)
    sync = db_commands.add_parser('sync', help='Apply the migrations (and seed defaults on a new database).')
    sync.add_argument('revision', nargs='?', default=None)
    sync.set_defaults(func=db_sync)
    version = db_commands.add_parser('version', help='Print the current revision.')
    version.set_defaults(func=db_version)
    downgrade = db_commands.add_parser('downgrade', help='Revert to a revision (base = empty).')
    downgrade.add_argument('revision')
    downgrade.set_defaults(func=db_downgrade)


def image_create(conf, store):
    """Register an ACTIVE image (its bits live wherever the driver finds them)."""
    command = conf.command
    props = {}
    for item in command.property or ():
        key, sep, value = item.partition('=')
        if not sep or not key:
            raise SystemExit('--property takes key=value, not %r' % item)
        props[key] = value
    if command.id is not None:
        try:
            image_id = str(uuid.UUID(command.id))
        except ValueError:
            raise SystemExit('--id must be a UUID, not %r' % command.id)
    else:
        image_id = str(uuid.uuid4())
    if not command.public and not command.owner:
        raise SystemExit('a private image needs --owner PROJECT_ID')
    with store.write() as conn:
        if db_images.exists(conn, image_id):
            raise SystemExit('image %s already exists' % image_id)
        db_images.create(conn, command.image_name, owner=command.owner, is_public=command.public, status='active',
                         image_id=image_id, size=command.size, min_disk=command.min_disk,
                         min_ram=command.min_ram, disk_format=command.disk_format,
                         container_format=command.container_format, props=props)
    print(image_id)


def _add_image_parsers(subparsers):
    create = subparsers.add_parser('image-create', help='Register an ACTIVE image; prints its id.')
    create.add_argument('--name', dest='image_name', metavar='NAME', required=True)
    create.add_argument('--id', help='The image UUID (default: a new one).')
    visibility = create.add_mutually_exclusive_group()
    visibility.add_argument('--public', dest='public', action='store_true', default=True,
                            help='Every project sees it (the default).')
    visibility.add_argument('--private', dest='public', action='store_false',
                            help='Only the --owner project (and admins) see it.')
    create.add_argument('--owner', help='Project owning the image (it may delete and change it).')
    create.add_argument('--min-disk', type=int, default=0, help='GiB of root disk a flavor needs.')
    create.add_argument('--min-ram', type=int, default=0, help='MiB of RAM a flavor needs.')
    create.add_argument('--size', type=int, help='Size in bytes.')
    create.add_argument('--disk-format', default='qcow2')
    create.add_argument('--container-format', default='bare')
    create.add_argument('--property', action='append', metavar='KEY=VALUE',
                        help='An image property (metadata item); repeat for more.')
    create.set_defaults(func=image_create)


COMMAND_PARSERS = [_add_db_parsers, _add_image_parsers]


def _add_parsers(subparsers):
    for add in COMMAND_PARSERS:
        add(subparsers)


def main(argv=None):
    command_opt = cfg.SubCommandOpt('command', title='Commands', handler=_add_parsers)
    conf = conf_mod.make_conf(sys.argv[1:] if argv is None else argv, cli_opts=[command_opt])
    store = store_mod.Store.from_conf(conf)
    try:
        conf.command.func(conf, store)
    finally:
        store.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
