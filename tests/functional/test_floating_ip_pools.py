"""os-floating-ip-pools: no Neutron here, so no external network is a pool."""


def test_every_caller_gets_an_empty_pool_list(client):
    assert client.get('/v2.1/os-floating-ip-pools').json == {'floating_ip_pools': []}
    assert client.get('/v2/demo/os-floating-ip-pools').json == {'floating_ip_pools': []}
