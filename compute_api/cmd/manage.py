"""compute-api-manage: database migrations (and the other operator commands)."""
import sys

from oslo_config import cfg

from compute_api import conf as conf_mod
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


COMMAND_PARSERS = [_add_db_parsers]


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
