"""DELETE always wins over a build in flight: 200 create-then-delete cycles, each DELETE at a
random moment of the build (before it starts, while the driver spawns, after it finished)."""
import random
import time

import sqlalchemy as sa

from compute_api.db import models
from tests.functional.test_servers import boot

CYCLES = 200


def test_create_then_delete_at_random_moments(client, admin, services):
    rng = random.Random(20261123)
    deleted = []
    for _cycle in range(CYCLES):
        delay = rng.choice([0, 0, 0.001, 0.003, 0.01])
        server_id = boot(client, metadata={'fake:spawn_delay': str(delay)}).json['server']['id']
        time.sleep(rng.choice([0, 0, 0.0005, 0.002, 0.005, 0.02]))
        client.delete('/v2.1/servers/%s' % server_id)
        # Accepted: from now on the server is being deleted or gone, never ACTIVE again.
        resp = client.get('/v2.1/servers/%s' % server_id, status='*')
        assert resp.status_int == 404 or resp.json['server']['OS-EXT-STS:task_state'] == 'deleting', resp.json
        deleted.append(server_id)
    assert services.tasks.wait(120)
    assert client.get('/v2.1/servers').json == {'servers': []}
    assert services.driver.list_instances() == []
    with services.store.read() as conn:
        rows = conn.execute(sa.select(models.instances.c.deleted, models.instances.c.vm_state)
                            .where(models.instances.c.uuid.in_(deleted))).all()
    assert len(rows) == CYCLES and set(rows) == {(True, 'deleted')}
