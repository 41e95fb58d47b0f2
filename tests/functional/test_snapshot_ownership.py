"""Whose image a snapshot is: another project cannot plant images that a server's unshelve boots or
that its backup rotation counts, and a shelved server boots exactly the snapshot its shelve took."""
import sqlalchemy as sa

from compute_api.db import models
from tests.functional.test_server_actions import IMAGE
from tests.functional.test_server_actions import act
from tests.functional.test_server_actions import boot
from tests.functional.test_server_actions import done
from tests.functional.test_server_actions import show
from tests.functional.test_server_actions import sts


def image_id_of(resp):
    return resp.headers['Location'].rsplit('/', 1)[-1]


def backup(client, services, server_id, name, metadata=None):
    resp = act(client, server_id, {'createBackup': {'name': name, 'backup_type': 'daily', 'rotation': 2,
                                                    'metadata': metadata or {}}})
    services.tasks.wait()
    return image_id_of(resp)


def image_status(client, image_id):
    resp = client.get('/v2.1/images/%s' % image_id, status='*')
    return resp.json['image']['status'] if resp.status_int == 200 else resp.status_int


def shelve(client, services, server_id):
    assert done(client, services, server_id, {'shelve': None})['status'] == 'SHELVED_OFFLOADED'
    (image,) = client.get('/v2.1/images/detail?server=%s' % server_id).json['images']
    assert image['status'] == 'ACTIVE'
    return image['id']


def test_another_projects_backups_claiming_a_server_do_not_rotate_its_backups(client, services):
    victim = boot(client, services)
    other = client.as_user('other')
    intruder = boot(other, services)
    first = backup(client, services, victim, 'mine-1')
    claim = {'instance_uuid': victim, 'image_type': 'backup', 'backup_type': 'daily'}
    # Through the backup's own metadata, and by editing the image's metadata afterwards.
    planted = [backup(other, services, intruder, 'planted-1', claim),
               backup(other, services, intruder, 'planted-2')]
    other.post('/v2.1/images/%s/metadata' % planted[1], {'metadata': claim})
    second = backup(client, services, victim, 'mine-2')
    assert [image_status(client, i) for i in (first, second)] == ['ACTIVE', 'ACTIVE']
    assert [image_status(other, i) for i in planted] == ['ACTIVE', 'ACTIVE']
    # Rotation still works on the server's own backups.
    third = backup(client, services, victim, 'mine-3')
    assert [image_status(client, i) for i in (first, second, third)] == [404, 'ACTIVE', 'ACTIVE']


def test_unshelve_boots_the_servers_snapshot_not_another_projects_image_of_that_name(client, services):
    victim = boot(client, services)
    other = client.as_user('other')
    intruder = boot(other, services)
    snapshot = shelve(client, services, victim)
    claim = {'instance_uuid': victim}
    resp = act(other, intruder, {'createImage': {'name': 'vm-shelved', 'metadata': claim}})
    services.tasks.wait()
    planted = [image_id_of(resp)]
    resp = act(other, intruder, {'createImage': {'name': 'vm-shelved'}})
    services.tasks.wait()
    planted.append(image_id_of(resp))
    other.post('/v2.1/images/%s/metadata' % planted[1], {'metadata': claim})
    assert sts(done(client, services, victim, {'unshelve': None})) == ('ACTIVE', 'active', None, 1)
    assert services.driver._instances[victim]['spawned_from'] == snapshot
    assert image_status(client, snapshot) == 404
    assert [image_status(other, i) for i in planted] == ['ACTIVE', 'ACTIVE']


def test_a_renamed_shelved_server_unshelves_from_its_snapshot(client, services):
    server_id = boot(client, services)
    snapshot = shelve(client, services, server_id)
    client.put('/v2.1/servers/%s' % server_id, {'server': {'name': 'renamed'}})
    server = done(client, services, server_id, {'unshelve': None})
    assert (server['status'], server['name'], server['image']['id']) == ('ACTIVE', 'renamed', IMAGE)
    assert services.driver._instances[server_id]['spawned_from'] == snapshot
    assert image_status(client, snapshot) == 404
    # Shelved again, it takes (and then boots) a new snapshot.
    again = shelve(client, services, server_id)
    assert again != snapshot
    done(client, services, server_id, {'unshelve': None})
    assert services.driver._instances[server_id]['spawned_from'] == again


def test_deleting_a_shelved_server_deletes_its_snapshot(client, services):
    server_id = boot(client, services)
    snapshot = shelve(client, services, server_id)
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    assert image_status(client, snapshot) == 404


def test_unshelve_after_the_snapshot_was_deleted_is_nova_error(client, services):
    server_id = boot(client, services)
    snapshot = shelve(client, services, server_id)
    client.delete('/v2.1/images/%s' % snapshot)
    server = done(client, services, server_id, {'unshelve': None})
    assert (server['status'], server['fault']['message']) == (
        'ERROR', 'Unshelve attempted but the image %s cannot be found.' % snapshot)


def test_request_metadata_cannot_set_what_the_server_sets_on_a_snapshot(client, services):
    server_id = boot(client, services)
    forged = {'instance_uuid': '8c8b1a43-4f4c-4b0a-9a57-000000000000', 'image_type': 'base',
              'backup_type': 'never', 'user_id': 'mallory', 'base_image_ref': 'nothing', 'purpose': 'kept'}
    expected = {
        'createImage': {'instance_uuid': server_id, 'image_type': 'snapshot', 'user_id': 'demo',
                        'base_image_ref': IMAGE, 'purpose': 'kept'},
        'createBackup': {'instance_uuid': server_id, 'image_type': 'backup', 'backup_type': 'daily',
                         'user_id': 'demo', 'base_image_ref': IMAGE, 'purpose': 'kept'},
    }
    for action, body in (('createImage', {'name': 'snap', 'metadata': forged}),
                         ('createBackup', {'name': 'bak', 'backup_type': 'daily', 'rotation': 1,
                                           'metadata': forged})):
        image_id = image_id_of(act(client, server_id, {action: body}))
        services.tasks.wait()
        assert client.get('/v2.1/images/%s/metadata' % image_id).json['metadata'] == expected[action]
    assert show(client, server_id)['status'] == 'ACTIVE'


def test_a_snapshot_deleted_before_its_shelved_server_keeps_its_deletion_time(client, services):
    server_id = boot(client, services)
    snapshot = shelve(client, services, server_id)
    client.delete('/v2.1/images/%s' % snapshot)

    def deletion():
        images = models.images
        with services.store.read() as conn:
            return tuple(conn.execute(sa.select(images.c.status, images.c.deleted_at, images.c.updated_at)
                                      .where(images.c.id == snapshot)).one())
    before = deletion()
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    assert before[0] == 'deleted' and deletion() == before
