"""Key pairs: /os-keypairs (nova's os-keypairs at 2.1), per user."""
import base64
import re
import threading

import pytest
from cryptography.hazmat.primitives import serialization

from compute_api import context as context_mod
from compute_api import exception
from compute_api.compute import keypairs as compute_keypairs
from compute_api.db import models
from compute_api.db.store import utcnow

# Keys made with ssh-keygen; the fingerprints are what `ssh-keygen -E md5 -l` prints for them.
ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEgu5FrjT5hgQ2UyySRYTUqyIitvQy98dlyMIyV0GoP2 test@host'
ED25519_FINGERPRINT = '8f:9e:91:14:a3:61:e4:0d:2d:1c:17:dd:96:55:7b:a1'
RSA = ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCxNoomIEQUTuOnmlSSqlk4GAi+t5wbn2sH02XKK0smZo411AEeK92Phb+prcRlj7F'
       'e1Vcbk6T181hseSqleC8i+F314defQEzGu9XDyUlgOtlGy4dRQHpU3jDx/dCOyCxo8AncKTy0nuWhmcjYM4OLd1qRbrVUt55aUA2NrEWb7Q'
       '/RegTUQFECeATiWFKyR1W/fzQMNC68RgnNSlo6Jcf/WoDUkJH4hZBl9o9PTKkql6W3pt4HCL9RU/OT5xfg6nJcx+97kxXkg8o0eL8kKLWDA'
       'QmE08G/PjmVogmGxccodL0XNofXnMlYPvbz7fUUYYvteuyOeOXRqsbODrL5L5Fl rsa@host')
RSA_FINGERPRINT = 'ee:f8:eb:37:74:b8:22:43:2b:fd:6c:57:29:d0:6a:b5'
FINGERPRINT = re.compile(r'^([0-9a-f]{2}:){15}[0-9a-f]{2}$')


def create(client, name, public_key=None, status=200, prefix='/v2.1'):
    keypair = {'name': name}
    if public_key is not None:
        keypair['public_key'] = public_key
    return client.post(prefix + '/os-keypairs', {'keypair': keypair}, status=status)


@pytest.mark.parametrize('public_key, fingerprint', [(ED25519, ED25519_FINGERPRINT), (RSA, RSA_FINGERPRINT)])
def test_import_answers_the_key_and_its_md5_fingerprint(client, public_key, fingerprint):
    resp = create(client, 'imported', public_key)
    assert resp.json == {'keypair': {'name': 'imported', 'public_key': public_key, 'fingerprint': fingerprint,
                                     'user_id': 'demo'}}


def test_generate_returns_a_private_key_matching_the_public_key(client):
    keypair = create(client, 'generated').json['keypair']
    assert set(keypair) == {'name', 'public_key', 'fingerprint', 'user_id', 'private_key'}
    assert keypair['private_key'].startswith('-----BEGIN RSA PRIVATE KEY-----')
    private = serialization.load_pem_private_key(keypair['private_key'].encode(), password=None)
    public_line = private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                    serialization.PublicFormat.OpenSSH).decode()
    assert keypair['public_key'] == public_line + ' Generated-by-Nova'
    assert FINGERPRINT.match(keypair['fingerprint'])
    # The private key is never shown again.
    shown = client.get('/v2.1/os-keypairs/generated').json['keypair']
    assert 'private_key' not in shown and shown['public_key'] == keypair['public_key']


def test_list_wraps_each_key_pair_and_is_sorted_by_name(client):
    create(client, 'zeta', ED25519)
    create(client, 'alpha', RSA)
    assert client.get('/v2.1/os-keypairs').json == {'keypairs': [
        {'keypair': {'name': 'alpha', 'public_key': RSA, 'fingerprint': RSA_FINGERPRINT}},
        {'keypair': {'name': 'zeta', 'public_key': ED25519, 'fingerprint': ED25519_FINGERPRINT}}]}


def test_show_has_the_bookkeeping_fields(client):
    create(client, 'mine', ED25519)
    keypair = client.get('/v2.1/os-keypairs/mine').json['keypair']
    created_at = keypair.pop('created_at')
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$', created_at)
    assert isinstance(keypair.pop('id'), int)
    assert keypair == {'name': 'mine', 'public_key': ED25519, 'fingerprint': ED25519_FINGERPRINT,
                       'user_id': 'demo', 'updated_at': None, 'deleted_at': None, 'deleted': False}


def test_key_pairs_belong_to_their_user(client):
    create(client, 'shared-name', ED25519)
    other = client.as_user('other', 'demo')
    assert other.get('/v2.1/os-keypairs').json == {'keypairs': []}
    resp = other.get('/v2.1/os-keypairs/shared-name', status=404)
    assert resp.json == {'itemNotFound': {'code': 404, 'message': 'Keypair shared-name not found for user other'}}
    other.delete('/v2.1/os-keypairs/shared-name', status=404)
    # Another user may use the same name.
    assert create(other, 'shared-name', RSA).json['keypair']['fingerprint'] == RSA_FINGERPRINT
    assert client.get('/v2.1/os-keypairs/shared-name').json['keypair']['public_key'] == ED25519


def test_delete_is_202_and_the_key_pair_is_gone(client):
    create(client, 'doomed', ED25519)
    resp = client.delete('/v2.1/os-keypairs/doomed', status=202)
    assert resp.body == b''
    client.get('/v2.1/os-keypairs/doomed', status=404)
    resp = client.delete('/v2.1/os-keypairs/doomed', status=404)
    assert resp.json['itemNotFound']['message'] == 'Keypair doomed not found for user demo'


def test_duplicate_name_is_409(client):
    create(client, 'dup', ED25519)
    resp = create(client, 'dup', RSA, status=409)
    assert resp.json == {'conflictingRequest': {'code': 409, 'message': "Key pair 'dup' already exists."}}
    create(client, 'dup', status=409)
    assert client.get('/v2.1/os-keypairs/dup').json['keypair']['public_key'] == ED25519


@pytest.mark.parametrize('public_key', [
    'not a key', '', 'ssh-rsa', 'ssh-rsa !!!notbase64', ED25519.replace('ssh-ed25519', 'ssh-rsa'),
    ' ' + ED25519, ED25519[:60],
])
def test_invalid_public_key_is_400(client, public_key):
    resp = create(client, 'bad', public_key, status=400)
    assert resp.json == {'badRequest': {'code': 400,
                                        'message': 'Keypair data is invalid: failed to generate fingerprint'}}
    client.get('/v2.1/os-keypairs/bad', status=404)


@pytest.mark.parametrize('name', ['a/b', 'dot.ted', 'at@sign', 'ünï'])
def test_unsafe_name_characters_are_400(client, name):
    resp = create(client, name, ED25519, status=400)
    assert resp.json['badRequest']['message'] == 'Keypair data is invalid: Keypair name contains unsafe characters'


@pytest.mark.parametrize('body', [
    {}, {'keypair': {}}, {'keypair': {'name': ''}}, {'keypair': {'name': 'x' * 256}},
    {'keypair': {'name': ' lead'}}, {'keypair': {'name': 'ok', 'public_key': 5}},
    {'keypair': {'name': 'ok', 'type': 'ssh'}}, {'keypair': 'ok'}, {'keypair': {'name': 'ok'}, 'extra': 1},
])
def test_bad_bodies_are_400(client, body):
    resp = client.post('/v2.1/os-keypairs', body, status=400)
    assert resp.json['badRequest']['code'] == 400
    assert client.get('/v2.1/os-keypairs').json == {'keypairs': []}


def test_legacy_v2_serves_the_same_documents(client):
    resp = client.post('/v2/demo/os-keypairs', {'keypair': {'name': 'legacy', 'public_key': ED25519,
                                                             'ignored': True}})
    assert resp.json['keypair']['fingerprint'] == ED25519_FINGERPRINT
    assert client.get('/v2/demo/os-keypairs').json['keypairs'][0]['keypair']['name'] == 'legacy'
    client.delete('/v2/demo/os-keypairs/legacy', status=202)


def test_names_may_have_spaces_dashes_and_underscores(client):
    create(client, 'my key-1_a', ED25519)
    assert client.get('/v2.1/os-keypairs/my key-1_a').json['keypair']['name'] == 'my key-1_a'


def test_quota_is_per_user_and_403(client, conf):
    conf.set_override('key_pairs', 2, group='quota')
    create(client, 'one', ED25519)
    create(client, 'two', RSA)
    resp = create(client, 'three', ED25519, status=403)
    assert resp.json == {'forbidden': {'code': 403, 'message': 'Quota exceeded, too many key pairs.'}}
    assert 'Retry-After' not in resp.headers
    create(client, 'three', status=403)
    create(client.as_user('other', 'demo'), 'three', ED25519)
    client.delete('/v2.1/os-keypairs/one', status=202)
    create(client, 'three', ED25519)


def test_unknown_methods_are_405(client):
    client.put('/v2.1/os-keypairs', {}, status=405)
    client.post('/v2.1/os-keypairs/x', {}, status=405)


def test_a_project_quota_row_overrides_the_default(client, store):
    with store.write() as conn:
        conn.execute(models.quotas.insert().values(project_id='demo', resource='key_pairs', hard_limit=1,
                                                   created_at=utcnow()))
    create(client, 'one', ED25519)
    create(client, 'two', ED25519, status=403)
    # The limit is the project's, counted per user.
    create(client.as_user('other', 'demo'), 'two', ED25519)
    create(client.as_user('elsewhere', 'p2'), 'one', ED25519)
    create(client.as_user('elsewhere', 'p2'), 'two', ED25519)


def test_concurrent_creates_never_pass_the_quota(store, conf):
    conf.set_override('key_pairs', 3, group='quota')
    context = context_mod.RequestContext(user_id='racer', project_id='demo', roles=['member'])
    barrier = threading.Barrier(6)
    outcomes = []

    def create_one(index):
        barrier.wait()
        try:
            compute_keypairs.create_keypair(store, conf, context, context.user_id, 'key-%d' % index, ED25519)
            outcomes.append('created')
        except exception.KeypairLimitExceeded:
            outcomes.append('over quota')
    threads = [threading.Thread(target=create_one, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ['created'] * 3 + ['over quota'] * 3
    assert len(compute_keypairs.list_keypairs(store, 'racer')) == 3


# -- microversion 2.2: the key pair type, and create/delete status codes -------------------------

def test_type_and_status_codes_come_with_2_2(client):
    at_21, at_22 = client.as_user('demo', version='2.1'), client.as_user('demo', version='2.2')
    assert 'type' not in create(at_21, 'old', ED25519).json['keypair']
    at_21.post('/v2.1/os-keypairs', {'keypair': {'name': 'typed', 'type': 'ssh'}}, status=400)  # a 2.2 key at 2.1
    assert 'type' not in at_21.get('/v2.1/os-keypairs/old').json['keypair']
    keypair = create(at_22, 'new', RSA, status=201).json['keypair']
    assert keypair['type'] == 'ssh' and keypair['fingerprint'] == RSA_FINGERPRINT
    assert at_22.get('/v2.1/os-keypairs/old').json['keypair']['type'] == 'ssh'
    assert [k['keypair']['type'] for k in at_22.get('/v2.1/os-keypairs').json['keypairs']] == ['ssh', 'ssh']
    assert all('type' not in k['keypair'] for k in at_21.get('/v2.1/os-keypairs').json['keypairs'])
    at_22.delete('/v2.1/os-keypairs/new', status=204)
    at_21.delete('/v2.1/os-keypairs/old', status=202)


def test_generated_x509_key_pair_is_a_client_certificate(client):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12
    at_22 = client.as_user('demo', version='2.2')
    body = {'keypair': {'name': 'winrm', 'type': 'x509'}}
    keypair = at_22.post('/v2.1/os-keypairs', body, status=201).json['keypair']
    assert keypair['type'] == 'x509'
    certificate = x509.load_pem_x509_certificate(keypair['public_key'].encode())
    assert certificate.subject.rfc4514_string() == 'CN=demo'
    assert keypair['fingerprint'] == certificate.fingerprint(hashes.SHA1()).hex(':')
    key, bundled, _extra = pkcs12.load_key_and_certificates(base64.b64decode(keypair['private_key']), None)
    assert bundled == certificate and key.public_key() == certificate.public_key()
    # importing the certificate elsewhere gives the same fingerprint; an ssh key is no certificate
    imported = at_22.post('/v2.1/os-keypairs', {'keypair': {'name': 'copy', 'type': 'x509',
                                                            'public_key': keypair['public_key']}}, status=201)
    assert imported.json['keypair']['fingerprint'] == keypair['fingerprint']
    resp = at_22.post('/v2.1/os-keypairs', {'keypair': {'name': 'bad', 'type': 'x509', 'public_key': RSA}},
                      status=400)
    assert 'X509' in resp.json['badRequest']['message']
    at_22.post('/v2.1/os-keypairs', {'keypair': {'name': 'bad', 'type': 'rsa'}}, status=400)


def test_admins_manage_other_users_key_pairs_from_2_10(client, admin):
    admin_210 = admin.as_user('admin', version='2.10')
    created = admin_210.post('/v2.1/os-keypairs', {'keypair': {'name': 'theirs', 'public_key': RSA,
                                                               'user_id': 'demo'}}, status=201).json['keypair']
    assert created['user_id'] == 'demo'
    assert [k['keypair']['name'] for k in client.get('/v2.1/os-keypairs').json['keypairs']] == ['theirs']
    assert admin_210.get('/v2.1/os-keypairs?user_id=demo').json['keypairs'][0]['keypair']['name'] == 'theirs'
    assert admin_210.get('/v2.1/os-keypairs').json['keypairs'] == []  # the admin's own
    assert admin_210.get('/v2.1/os-keypairs/theirs?user_id=demo').json['keypair']['user_id'] == 'demo'
    # below 2.10 the key and the query parameter are not part of the API
    admin.as_user('admin', version='2.9').post('/v2.1/os-keypairs', {'keypair': {'name': 'x', 'user_id': 'demo'}},
                                               status=400)
    admin.as_user('admin', version='2.9').get('/v2.1/os-keypairs/theirs?user_id=demo', status=404)
    # a member may not name someone else
    member_210 = client.as_user('demo', version='2.10')
    member_210.get('/v2.1/os-keypairs?user_id=admin', status=403)
    member_210.post('/v2.1/os-keypairs', {'keypair': {'name': 'x', 'user_id': 'admin'}}, status=403)
    member_210.get('/v2.1/os-keypairs?user_id=demo')  # naming oneself is fine
    admin_210.delete('/v2.1/os-keypairs/theirs?user_id=demo', status=204)
    assert client.get('/v2.1/os-keypairs').json['keypairs'] == []
