"""The image side of createImage: create_snapshot registers a SAVING image, finish_snapshot ends it."""
import pytest

from compute_api import context as context_mod
from compute_api import exception
from compute_api.compute import images as compute_images
from compute_api.db import images as db_images

SERVER = '0b5f3f36-3a52-4f5e-9d2c-1a0e4a6f5c01'


def ctx(project='demo', user='demo', roles=('member', 'reader')):
    return context_mod.RequestContext(user_id=user, project_id=project, roles=list(roles))


def test_snapshot_is_a_private_saving_image_with_novas_properties(store):
    with store.write() as conn:
        image = compute_images.create_snapshot(conn, ctx(), SERVER, 'snap', {'purpose': 'backup'}, 1, 512)
    assert image['status'] == 'queued' and compute_images.api_status(image['status']) == 'SAVING'
    shown = compute_images.get_image(store, ctx(), image['id'])
    assert shown['owner'] == 'demo' and not shown['is_public']
    assert (shown['min_disk'], shown['min_ram']) == (1, 512)
    assert shown.properties == {'instance_uuid': SERVER, 'image_type': 'snapshot', 'user_id': 'demo',
                                'purpose': 'backup'}
    with pytest.raises(exception.ImageNotFound):
        compute_images.get_image(store, ctx('other', 'other'), image['id'])


@pytest.mark.parametrize('outcome, glance_status, shown', [
    ('ACTIVE', 'active', 'ACTIVE'), ('ERROR', 'killed', 'ERROR'), ('active', 'active', 'ACTIVE')])
def test_finish_snapshot(store, outcome, glance_status, shown):
    with store.write() as conn:
        image = compute_images.create_snapshot(conn, ctx(), SERVER, 'snap', {}, 0, 0)
    with store.write() as conn:
        assert compute_images.finish_snapshot(conn, image['id'], outcome, 4096)
    done = compute_images.get_image(store, ctx(), image['id'])
    assert (done['status'], done['size'], compute_images.api_status(done['status'])) == (glance_status, 4096,
                                                                                          shown)


def test_finish_snapshot_of_a_deleted_image_is_dropped(store):
    with store.write() as conn:
        image = compute_images.create_snapshot(conn, ctx(), SERVER, 'snap', {}, 0, 0)
    compute_images.delete_image(store, ctx(), image['id'])
    with store.write() as conn:
        assert not compute_images.finish_snapshot(conn, image['id'], 'ACTIVE', 1)
        assert db_images.exists(conn, image['id'])


def test_metadata_quota_check(store, conf):
    conf.set_override('metadata_items', 2, group='quota')
    with store.read() as conn:
        compute_images.check_metadata_quota(conn, conf, ctx(), {'a': '1', 'b': '2'})
        with pytest.raises(exception.ImageMetadataLimitExceeded):
            compute_images.check_metadata_quota(conn, conf, ctx(), {'a': '1', 'b': '2', 'c': '3'})
