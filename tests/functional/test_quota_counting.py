"""The quota module on the session's database: limits (defaults, default class, project rows),
usage counted from live rows, and the server create check, alone and under concurrency."""
import threading
import uuid

import pytest

from compute_api import context as context_mod
from compute_api import exception
from compute_api.compute import quotas
from compute_api.db import models
from compute_api.db.store import utcnow


def _context(project_id='demo'):
    return context_mod.RequestContext(user_id='demo', project_id=project_id, roles=['member'])


def _instance(project_id='demo', vcpus=1, memory_mb=512, deleted=False):
    return {'uuid': str(uuid.uuid4()), 'project_id': project_id, 'user_id': 'demo', 'flavor_id': '1',
            'memory_mb': memory_mb, 'vcpus': vcpus, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
            'vm_state': 'deleted' if deleted else 'active', 'created_at': utcnow(), 'deleted': deleted}


def _insert(store, *rows):
    with store.write() as conn:
        conn.execute(models.instances.insert(), list(rows))


def _set_limit(store, table, key_column, key, resource, hard_limit):
    with store.write() as conn:
        conn.execute(table.insert().values(**{key_column: key}, resource=resource, hard_limit=hard_limit,
                                           created_at=utcnow()))


def test_limits_are_the_quota_options_by_default(store, conf):
    with store.read() as conn:
        limits = quotas.limits_for(conn, conf, 'demo')
    assert limits['instances'] == 10 and limits['cores'] == 20 and limits['ram'] == 51200
    assert limits['metadata_items'] == 128 and limits['injected_file_path_length'] == 255
    assert set(limits) == set(quotas.RESOURCES)


def test_project_rows_override_the_default_class_which_overrides_the_options(store, conf):
    _set_limit(store, models.quota_classes, 'class_name', 'default', 'instances', 7)
    _set_limit(store, models.quota_classes, 'class_name', 'default', 'cores', 30)
    _set_limit(store, models.quotas, 'project_id', 'demo', 'instances', 3)
    with store.read() as conn:
        demo = quotas.limits_for(conn, conf, 'demo')
        other = quotas.limits_for(conn, conf, 'other')
        defaults = quotas.defaults(conn, conf)
    assert (demo['instances'], demo['cores'], demo['ram']) == (3, 30, 51200)
    assert (other['instances'], other['cores']) == (7, 30)
    assert defaults['instances'] == 7


def test_usage_counts_the_projects_live_servers_only(store):
    _insert(store, _instance(vcpus=2, memory_mb=1024), _instance(vcpus=4, memory_mb=2048),
            _instance(vcpus=8, deleted=True), _instance(project_id='other'))
    with store.read() as conn:
        usage = quotas.usage_for(conn, 'demo')
        empty = quotas.usage_for(conn, 'nobody')
    assert (usage['instances'], usage['cores'], usage['ram']) == (2, 6, 3072)
    assert (empty['instances'], empty['cores'], empty['ram']) == (0, 0, 0)


def test_create_within_the_limits_passes_up_to_exactly_the_limit(store, conf):
    _insert(store, *[_instance() for _ in range(9)])
    with store.write() as conn:
        quotas.check_server_create(conn, conf, _context(), 1, 1, 512)


def test_create_over_the_instances_limit_is_refused_with_novas_message(store, conf):
    _insert(store, *[_instance() for _ in range(10)])
    with pytest.raises(exception.TooManyInstances) as caught, store.write() as conn:
        quotas.check_server_create(conn, conf, _context(), 1, 1, 512)
    assert caught.value.message == 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances'
    assert isinstance(caught.value, exception.QuotaExceeded)


def test_every_resource_over_is_named_in_order(store, conf):
    _set_limit(store, models.quotas, 'project_id', 'demo', 'ram', 1000)
    _insert(store, _instance(vcpus=16, memory_mb=512))
    with pytest.raises(exception.TooManyInstances) as caught, store.write() as conn:
        quotas.check_server_create(conn, conf, _context(), 2, 8, 1024)
    assert caught.value.message == ('Quota exceeded for cores, ram: Requested 8, 1024, '
                                    'but already used 16, 512 of 20, 1000 cores, ram')


def test_unlimited_quota_never_refuses(store, conf):
    _set_limit(store, models.quotas, 'project_id', 'demo', 'instances', -1)
    _insert(store, *[_instance(vcpus=0, memory_mb=0) for _ in range(12)])
    with store.write() as conn:
        quotas.check_server_create(conn, conf, _context(), 5, 0, 0)


def test_concurrent_creates_never_pass_the_limit(store, conf):
    """Each worker checks then inserts in one transaction, as a server create does: exactly the
    quota's worth succeed whichever database serialises them."""
    _set_limit(store, models.quotas, 'project_id', 'race', 'instances', 5)
    outcomes = []
    start = threading.Barrier(20)

    def create():
        start.wait()
        try:
            with store.write() as conn:
                quotas.check_server_create(conn, conf, _context('race'), 1, 1, 512)
                conn.execute(models.instances.insert(), [_instance('race')])
            outcomes.append('created')
        except exception.TooManyInstances:
            outcomes.append('refused')

    workers = [threading.Thread(target=create) for _ in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ['created'] * 5 + ['refused'] * 15
    with store.read() as conn:
        assert quotas.usage_for(conn, 'race')['instances'] == 5


def test_a_resizing_server_counts_at_its_larger_flavor(store):
    growing = dict(_instance(vcpus=2, memory_mb=2048), new_flavor='{"vcpus": 4, "memory_mb": 4096}', old_flavor=None)
    shrunk = dict(_instance(vcpus=1, memory_mb=512), new_flavor=None, old_flavor='{"vcpus": 8, "memory_mb": 16384}')
    grown = dict(_instance(vcpus=4, memory_mb=4096), new_flavor=None, old_flavor='{"vcpus": 2, "memory_mb": 2048}')
    _insert(store, growing, shrunk, grown)
    with store.read() as conn:
        usage = quotas.usage_for(conn, 'demo')
    assert (usage['instances'], usage['cores'], usage['ram']) == (3, 4 + 8 + 4, 4096 + 16384 + 4096)
