"""Server groups: /os-server-groups (nova's os-server-groups at 2.1)."""
import threading
import uuid

import pytest
import sqlalchemy as sa

from compute_api import context as context_mod
from compute_api import exception
from compute_api.compute import server_groups as compute_groups
from compute_api.db import models
from compute_api.db import server_groups as db_groups
from compute_api.db import store as store_mod


def create(client, name='group', policies=('anti-affinity',), status=200, prefix='/v2.1'):
    return client.post(prefix + '/os-server-groups', {'server_group': {'name': name, 'policies': list(policies)}},
                       status=status)


def add_server(store, group_id, project_id='demo', deleted=False):
    """A server row of `project_id` joined to the group the way server create does (add_member)."""
    server_uuid = str(uuid.uuid4())
    with store.write() as conn:
        conn.execute(models.instances.insert().values(
            uuid=server_uuid, project_id=project_id, user_id='demo', flavor_id='1', memory_mb=512, vcpus=1,
            root_gb=1, ephemeral_gb=0, swap=0, vm_state='active', power_state=1, progress=0, config_drive='',
            auto_disk_config=False, launch_index=0, locked=False, deleted=deleted, created_at=store_mod.utcnow()))
        db_groups.add_member(conn, group_id, server_uuid)
    return server_uuid


@pytest.mark.parametrize('policy', ['affinity', 'anti-affinity'])
def test_create_answers_the_group(client, policy):
    group = create(client, 'my group', [policy]).json['server_group']
    assert str(uuid.UUID(group['id'])) == group['id']
    assert group == {'id': group['id'], 'name': 'my group', 'policies': [policy], 'members': [], 'metadata': {}}
    assert client.get('/v2.1/os-server-groups/%s' % group['id']).json == {'server_group': group}


def test_list_shows_the_projects_groups_in_creation_order(client):
    first = create(client, 'first').json['server_group']
    second = create(client, 'second', ['affinity']).json['server_group']
    create(client.as_user('other'), 'elsewhere')
    assert client.get('/v2.1/os-server-groups').json == {'server_groups': [first, second]}
    assert client.get('/v2/demo/os-server-groups').json == {'server_groups': [first, second]}


def test_limit_and_offset_page_the_list(client):
    ids = [create(client, 'g%d' % i).json['server_group']['id'] for i in range(4)]

    def listed(query):
        return [g['id'] for g in client.get('/v2.1/os-server-groups' + query).json['server_groups']]
    assert listed('?limit=2') == ids[:2]
    assert listed('?limit=2&offset=2') == ids[2:]
    assert listed('?offset=3') == ids[3:]
    assert listed('?limit=0') == ids
    for query, message in [('?limit=-1', 'limit param must be positive'),
                           ('?limit=x', 'limit param must be an integer'),
                           ('?offset=-1', 'offset param must be positive')]:
        resp = client.get('/v2.1/os-server-groups' + query, status=400)
        assert resp.json == {'badRequest': {'code': 400, 'message': message}}


def test_all_projects_is_for_admins(client, admin):
    mine = create(client, 'mine').json['server_group']
    theirs = create(admin, 'admins').json['server_group']
    assert [g['id'] for g in admin.get('/v2.1/os-server-groups?all_projects=True').json['server_groups']] == [
        mine['id'], theirs['id']]
    assert [g['id'] for g in admin.get('/v2.1/os-server-groups').json['server_groups']] == [theirs['id']]
    # A non-admin asking for all projects gets its own, as nova.
    assert client.get('/v2.1/os-server-groups?all_projects=True').json['server_groups'] == [mine]


def test_another_projects_group_is_not_found(client, admin):
    group = create(client).json['server_group']
    other = client.as_user('other')
    resp = other.get('/v2.1/os-server-groups/%s' % group['id'], status=404)
    assert resp.json == {'itemNotFound': {'code': 404,
                                          'message': 'Instance group %s could not be found.' % group['id']}}
    other.delete('/v2.1/os-server-groups/%s' % group['id'], status=404)
    assert admin.get('/v2.1/os-server-groups/%s' % group['id']).json['server_group'] == group
    client.get('/v2.1/os-server-groups/%s' % group['id'])


def test_delete_is_204_and_the_group_is_gone(client, store):
    group_id = create(client).json['server_group']['id']
    server = add_server(store, group_id)
    resp = client.delete('/v2.1/os-server-groups/%s' % group_id, status=204)
    assert resp.body == b''
    client.get('/v2.1/os-server-groups/%s' % group_id, status=404)
    client.delete('/v2.1/os-server-groups/%s' % group_id, status=404)
    with store.read() as conn:  # the server itself stays
        assert conn.execute(sa.select(models.instances.c.uuid).where(models.instances.c.uuid == server)).first()


def test_admin_may_delete_another_projects_group(client, admin):
    group_id = create(client).json['server_group']['id']
    admin.delete('/v2.1/os-server-groups/%s' % group_id, status=204)
    assert client.get('/v2.1/os-server-groups').json == {'server_groups': []}


def test_members_are_the_live_servers_of_the_group(client, store):
    group_id = create(client).json['server_group']['id']
    other_group = create(client, 'other').json['server_group']['id']
    first = add_server(store, group_id)
    second = add_server(store, group_id)
    add_server(store, group_id, deleted=True)
    add_server(store, other_group)
    assert client.get('/v2.1/os-server-groups/%s' % group_id).json['server_group']['members'] == [first, second]
    listed = {g['id']: g['members'] for g in client.get('/v2.1/os-server-groups').json['server_groups']}
    assert listed[group_id] == [first, second]
    with store.read() as conn:
        assert db_groups.count_members(conn, group_id) == 2


def test_add_member_to_an_unknown_group_fails(store):
    with pytest.raises(exception.InstanceGroupNotFound):
        add_server(store, str(uuid.uuid4()))


def test_quota_is_403(client, conf):
    conf.set_override('server_groups', 2, group='quota')
    create(client, 'one')
    create(client, 'two')
    resp = create(client, 'three', status=403)
    assert resp.json == {'forbidden': {'code': 403, 'message': 'Quota exceeded, too many server groups.'}}
    assert 'Retry-After' not in resp.headers
    create(client.as_user('other'), 'three')
    assert len(client.get('/v2.1/os-server-groups').json['server_groups']) == 2


@pytest.mark.parametrize('body', [
    {}, {'server_group': {}}, {'server_group': {'name': 'x'}}, {'server_group': {'policies': ['affinity']}},
    {'server_group': {'name': 'x', 'policies': []}},
    {'server_group': {'name': 'x', 'policies': ['affinity', 'anti-affinity']}},
    {'server_group': {'name': 'x', 'policies': ['affinity', 'affinity']}},
    {'server_group': {'name': 'x', 'policies': ['soft-affinity']}},
    {'server_group': {'name': 'x', 'policies': ['soft-anti-affinity']}},
    {'server_group': {'name': 'x', 'policies': 'affinity'}}, {'server_group': {'name': '', 'policies': ['affinity']}},
    {'server_group': {'name': ' x', 'policies': ['affinity']}},
    {'server_group': {'name': 'x' * 256, 'policies': ['affinity']}},
    {'server_group': {'name': 'x', 'policies': ['affinity'], 'metadata': {}}},
])
def test_bad_bodies_are_400(client, body):
    client.post('/v2.1/os-server-groups', body, status=400)
    assert client.get('/v2.1/os-server-groups').json == {'server_groups': []}


def test_legacy_v2_ignores_unknown_keys(client):
    resp = client.post('/v2/demo/os-server-groups', {'server_group': {'name': 'legacy', 'policies': ['affinity'],
                                                                     'metadata': {}}})
    assert resp.json['server_group']['name'] == 'legacy'


def test_unknown_methods_are_405(client):
    client.put('/v2.1/os-server-groups', {}, status=405)
    client.post('/v2.1/os-server-groups/%s' % uuid.uuid4(), {}, status=405)


def test_a_project_quota_row_overrides_the_default(client, store):
    with store.write() as conn:
        conn.execute(models.quotas.insert().values(project_id='demo', resource='server_groups', hard_limit=1,
                                                   created_at=store_mod.utcnow()))
    create(client, 'one')
    create(client, 'two', status=403)
    create(client.as_user('other'), 'two')


def test_concurrent_creates_never_pass_the_quota(store, conf):
    conf.set_override('server_groups', 2, group='quota')
    context = context_mod.RequestContext(user_id='racer', project_id='racers', roles=['member'])
    barrier = threading.Barrier(5)
    outcomes = []

    def create_one(index):
        barrier.wait()
        try:
            compute_groups.create_group(store, conf, context, 'group-%d' % index, 'affinity')
            outcomes.append('created')
        except exception.ServerGroupLimitExceeded:
            outcomes.append('over quota')
    threads = [threading.Thread(target=create_one, args=(i,)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ['created'] * 2 + ['over quota'] * 3
