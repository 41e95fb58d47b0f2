"""GET /servers/{id}/ips and /servers/{id}/ips/{network_label}."""
import pytest

from tests.functional.test_servers import boot
from tests.functional.test_servers import fault_message


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_ips_lists_addresses_per_network_without_extension_keys(client, services, prefix):
    server_id = boot(client).json['server']['id']
    services.tasks.wait()
    url = '%s/servers/%s/ips' % (prefix, server_id)
    expected = [{'version': 4, 'addr': '10.0.0.2'}, {'version': 6, 'addr': 'fd00::2'}]
    assert client.get(url).json == {'addresses': {'private': expected}}
    assert client.get(url + '/private').json == {'private': expected}
    resp = client.get(url + '/public', status=404)
    assert fault_message(resp) == 'Instance is not a member of specified network'


def test_ips_of_a_server_without_networks(client, services):
    server_id = boot(client, networks='none').json['server']['id']
    assert client.get('/v2.1/servers/%s/ips' % server_id).json == {'addresses': {}}


def test_ips_of_another_projects_server_is_404(client, services):
    server_id = boot(client).json['server']['id']
    client.as_user('other').get('/v2.1/servers/%s/ips' % server_id, status=404)
    client.get('/v2.1/servers/%s/ips/private' % server_id)
