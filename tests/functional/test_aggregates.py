"""Host aggregates: /os-aggregates and its actions (nova's os-aggregates at 2.1, admin only)."""
import pytest


def create(admin, name='rack1', status=200, **extra):
    return admin.post('/v2.1/os-aggregates', {'aggregate': dict({'name': name}, **extra)}, status=status)


def action(admin, aggregate_id, body, status=200):
    return admin.post('/v2.1/os-aggregates/%s/action' % aggregate_id, body, status=status)


def message(response):
    return next(iter(response.json.values()))['message']


@pytest.fixture
def host(services):
    return services.conf.host


def test_create_answers_without_hosts_and_metadata(admin):
    aggregate = create(admin, availability_zone='zone1').json['aggregate']
    assert set(aggregate) == {'id', 'name', 'availability_zone', 'created_at', 'updated_at', 'deleted_at',
                              'deleted'}
    assert (aggregate['name'], aggregate['availability_zone'], aggregate['deleted']) == ('rack1', 'zone1', False)
    shown = admin.get('/v2.1/os-aggregates/%d' % aggregate['id']).json['aggregate']
    assert shown['hosts'] == [] and shown['metadata'] == {'availability_zone': 'zone1'}
    assert admin.get('/v2.1/os-aggregates').json == {'aggregates': [shown]}


def test_names_are_unique_and_validated(admin):
    create(admin)
    assert message(create(admin, status=409)) == 'Aggregate rack1 already exists.'
    create(admin, name=' padded ', status=400)
    admin.post('/v2.1/os-aggregates', {'aggregate': {'name': 'x', 'extra': 1}}, status=400)


def test_update_renames_and_sets_the_zone(admin):
    aggregate = create(admin).json['aggregate']
    create(admin, 'rack2')
    path = '/v2.1/os-aggregates/%d' % aggregate['id']
    updated = admin.put(path, {'aggregate': {'name': 'rack9', 'availability_zone': 'z9'}}).json['aggregate']
    assert (updated['name'], updated['availability_zone'], updated['metadata']) == ('rack9', 'z9',
                                                                                    {'availability_zone': 'z9'})
    assert updated['updated_at'] is not None
    assert message(admin.put(path, {'aggregate': {'name': 'rack2'}}, status=409)) == 'Aggregate rack2 already exists.'
    admin.put(path, {'aggregate': {}}, status=400)


def test_hosts_join_and_leave(admin, host):
    aggregate = create(admin).json['aggregate']
    with_host = action(admin, aggregate['id'], {'add_host': {'host': host}}).json['aggregate']
    assert with_host['hosts'] == [host]
    assert message(action(admin, aggregate['id'], {'add_host': {'host': host}}, status=409)) == \
        'Aggregate %d already has host %s.' % (aggregate['id'], host)
    assert message(action(admin, aggregate['id'], {'add_host': {'host': 'nowhere'}}, status=404)) == \
        'Compute host nowhere could not be found.'
    assert message(admin.delete('/v2.1/os-aggregates/%d' % aggregate['id'], status=400)) == \
        'Cannot remove host from aggregate %d. Reason: not empty.' % aggregate['id']
    assert action(admin, aggregate['id'], {'remove_host': {'host': host}}).json['aggregate']['hosts'] == []
    assert message(action(admin, aggregate['id'], {'remove_host': {'host': host}}, status=404)) == \
        'Cannot remove host %s in aggregate %d' % (host, aggregate['id'])
    admin.delete('/v2.1/os-aggregates/%d' % aggregate['id'], status=200)
    admin.get('/v2.1/os-aggregates/%d' % aggregate['id'], status=404)


def test_set_metadata_merges_and_null_removes(admin):
    aggregate = create(admin).json['aggregate']
    action(admin, aggregate['id'], {'set_metadata': {'metadata': {'ssd': 'true', 'gpu': 'no'}}})
    metadata = action(admin, aggregate['id'], {'set_metadata': {'metadata': {'gpu': None, 'ssd': 'yes'}}}).json[
        'aggregate']['metadata']
    assert metadata == {'ssd': 'yes'}
    action(admin, aggregate['id'], {'set_metadata': {'metadata': {'k': 1}}}, status=400)


def test_unknown_ids_and_actions(admin):
    assert message(admin.get('/v2.1/os-aggregates/424242', status=404)) == 'Aggregate 424242 could not be found.'
    assert message(admin.get('/v2.1/os-aggregates/abc', status=400)) == 'Invalid input received: id must be an integer'
    admin.get('/v2.1/os-aggregates/99999999999999999999', status=404)
    aggregate = create(admin).json['aggregate']
    assert 'There is no such action' in message(action(admin, aggregate['id'], {'explode': {}}, status=400))
    action(admin, aggregate['id'], {'add_host': {'host': 'x'}, 'remove_host': {'host': 'x'}}, status=400)
    action(admin, 424242, {'set_metadata': {'metadata': {}}}, status=404)


def test_only_admins(client):
    client.get('/v2.1/os-aggregates', status=403)
    client.post('/v2.1/os-aggregates', {'aggregate': {'name': 'x'}}, status=403)


def test_legacy_v2_endpoint(admin):
    aggregate = admin.post('/v2/admin/os-aggregates', {'aggregate': {'name': 'v2'}}).json['aggregate']
    assert admin.get('/v2/admin/os-aggregates/%d' % aggregate['id']).json['aggregate']['name'] == 'v2'
