"""compute-api-manage image-create: registering images from the command line."""
import pytest

from compute_api.cmd import manage

IMAGE = '0f6a7d2c-5b1e-4c3a-9d8e-2a1b3c4d5e6f'


@pytest.fixture
def run(tmp_path, database_url, store):
    config = tmp_path / 'compute-api.conf'
    config.write_text('[database]\nconnection = %s\nauto_sync = false\n' % database_url)

    def run(*args):
        return manage.main(['--config-file', str(config), 'image-create', *args])
    return run


def test_public_image_with_properties(run, client, capsys):
    assert run('--name', 'ubuntu', '--id', IMAGE, '--min-disk', '3', '--min-ram', '256', '--size', '1024',
               '--property', 'os_distro=ubuntu', '--property', 'auto_disk_config=False') == 0
    assert capsys.readouterr().out.strip() == IMAGE
    image = client.get('/v2.1/images/%s' % IMAGE).json['image']
    assert (image['name'], image['status'], image['minDisk'], image['minRam'], image['OS-EXT-IMG-SIZE:size']) == (
        'ubuntu', 'ACTIVE', 3, 256, 1024)
    assert image['metadata'] == {'os_distro': 'ubuntu', 'auto_disk_config': 'False'}
    assert image['OS-DCF:diskConfig'] == 'MANUAL'
    assert IMAGE in [i['id'] for i in client.as_user('someone').get('/v2.1/images').json['images']]


def test_private_image_belongs_to_its_owner(run, client, capsys):
    run('--name', 'secret', '--private', '--owner', 'demo')
    image_id = capsys.readouterr().out.strip()
    assert client.get('/v2.1/images/%s' % image_id).json['image']['name'] == 'secret'
    client.as_user('someone').get('/v2.1/images/%s' % image_id, status=404)
    client.delete('/v2.1/images/%s' % image_id)


@pytest.mark.parametrize('args, message', [
    (('--name', 'x', '--id', 'not-a-uuid'), '--id must be a UUID'),
    (('--name', 'x', '--private'), 'a private image needs --owner'),
    (('--name', 'x', '--property', 'novalue'), '--property takes key=value'),
    (('--name', 'x', '--id', '155d900f-4e14-4e4c-a73d-069cbf4541e6'), 'already exists'),
])
def test_refusals(run, args, message):
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert message in str(exc.value)
