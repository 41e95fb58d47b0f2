"""The migrations build exactly the schema the models describe, up and down, on the test database
(SQLite by default; PostgreSQL and MariaDB through $COMPUTE_API_TEST_DB)."""
import datetime
import glob
import os

import pytest
import sqlalchemy as sa
from alembic import autogenerate
from alembic import migration

from compute_api.db import models
from compute_api.db import store as store_mod


@pytest.fixture
def empty_store(tmp_path):
    from tests import conftest
    admin_url = os.environ.get('COMPUTE_API_TEST_DB')
    if not admin_url or admin_url.startswith('sqlite'):
        store = store_mod.Store.from_url('sqlite:///' + str(tmp_path / 'migrations.sqlite'))
        yield store
        store.dispose()
        return
    url, name = conftest._create_server_database(admin_url)
    store = store_mod.Store.from_url(url.render_as_string(hide_password=False))
    yield store
    store.dispose()
    conftest._drop_server_database(admin_url, name)


def _differences(store):
    with store.engine.connect() as conn:
        context = migration.MigrationContext.configure(conn, opts={'compare_type': True})
        return autogenerate.compare_metadata(context, models.metadata)


def test_migrations_match_models(empty_store):
    assert not empty_store.at_head()
    empty_store.migrate()
    assert _differences(empty_store) == []
    assert empty_store.current_revision() == empty_store.head_revision()
    assert empty_store.at_head()


def test_the_schema_head_known_without_alembic_is_alembics(empty_store):
    assert store_mod.SCHEMA_HEAD == empty_store.head_revision()


def test_migrations_seed_default_flavors_and_images_once(empty_store):
    empty_store.migrate()
    empty_store.migrate()
    with empty_store.read() as conn:
        flavors = conn.execute(sa.select(models.flavors.c.flavorid, models.flavors.c.name)
                               .order_by(models.flavors.c.flavorid)).all()
        images = conn.execute(sa.select(models.images.c.id, models.images.c.status)).all()
    assert [tuple(f) for f in flavors] == [('1', 'm1.tiny'), ('2', 'm1.small'), ('3', 'm1.medium'),
                                           ('4', 'm1.large'), ('5', 'm1.xlarge')]
    assert sorted(tuple(i) for i in images) == [('155d900f-4e14-4e4c-a73d-069cbf4541e6', 'active'),
                                                ('a2459075-d96c-40d5-893e-577ff92e721c', 'active')]


def test_migrations_and_etc_files_live_in_the_package_only():
    # Anything left at the old places (migrations/, etc/ at the top) would be in no install.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    strays = [path for old in ('migrations', 'etc')
              for path in glob.glob(os.path.join(root, old, '**', '*.*'), recursive=True)
              if '__pycache__' not in path]
    assert strays == [], 'move them (git mv) to compute_api/migrations/versions/ or compute_api/etc/'


def test_downgrade_to_base_and_up_again(empty_store):
    empty_store.migrate()
    empty_store.downgrade('base')
    assert empty_store.current_revision() is None
    assert not empty_store.at_head()
    with empty_store.engine.connect() as conn:
        remaining = set(sa.inspect(conn).get_table_names()) - {'alembic_version'}
    assert remaining == set()
    empty_store.migrate()
    assert _differences(empty_store) == []


def _server_row(uuid, project, groups):
    return {'uuid': uuid, 'project_id': project, 'user_id': project, 'flavor_id': '1', 'memory_mb': 512, 'vcpus': 1,
            'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0, 'vm_state': 'active', 'power_state': 1, 'progress': 0,
            'config_drive': '', 'auto_disk_config': False, 'launch_index': 0, 'locked': False,
            'security_groups': groups, 'created_at': datetime.datetime(2026, 1, 1), 'deleted': False}


def test_0003_turns_the_servers_group_names_into_rows_and_back(empty_store):
    empty_store.migrate('0002')
    with empty_store.write() as conn:
        tables = sa.MetaData()
        tables.reflect(bind=conn, only=['instances', 'security_groups'])
        groups, instances = tables.tables['security_groups'], tables.tables['instances']
        conn.execute(groups.insert(), [{'project_id': 'p', 'name': 'web', 'created_at': datetime.datetime(2026, 1, 1)}])
        conn.execute(instances.insert(), [_server_row('a', 'p', '["web", "default", "gone"]'),
                                          _server_row('b', 'p', '["default"]'), _server_row('c', 'q', None)])
    empty_store.migrate()
    members, groups = models.instance_security_groups, models.security_groups
    with empty_store.read() as conn:
        rows = conn.execute(sa.select(members.c.instance_uuid, groups.c.project_id, groups.c.name)
                            .join(groups, groups.c.id == members.c.security_group_id).order_by(members.c.id)).all()
        projects_groups = conn.execute(sa.select(groups.c.project_id, groups.c.name)
                                       .order_by(groups.c.project_id, groups.c.name)).all()
    assert [tuple(row) for row in rows] == [('a', 'p', 'web'), ('a', 'p', 'default'), ('b', 'p', 'default')]
    assert [tuple(row) for row in projects_groups] == [('p', 'default'), ('p', 'web')]
    empty_store.downgrade('0002')
    with empty_store.read() as conn:
        instances = sa.Table('instances', sa.MetaData(), autoload_with=conn)
        names = dict(conn.execute(sa.select(instances.c.uuid, instances.c.security_groups)).all())
    assert names == {'a': '["web", "default"]', 'b': '["default"]', 'c': None}
