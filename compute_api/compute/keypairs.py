"""Key pairs: import a public key or generate a pair, per user (nova's KeypairAPI).

Names are 1..255 characters of letters, digits, '-', '_' and spaces. Two types, as nova:
- ssh: imported keys must parse as OpenSSH public keys (ssh-rsa, ssh-ed25519, ecdsa-sha2-*); the
  fingerprint is the colon-separated MD5 of the key blob, as `ssh-keygen -E md5 -l` shows it;
  generated keys are 2048-bit RSA.
- x509: the "public key" is a PEM certificate, fingerprinted by the SHA-1 of its DER; a generated
  one is nova's WinRM client certificate (CN and UPN of the user, 10 years), its private key a
  password-less PKCS#12 bundle in base64.
A generated private key is returned once and never stored.
"""
import base64
import hashlib
import string

import sqlalchemy as sa

from compute_api import exception
from compute_api.compute import quotas
from compute_api.db import keypairs as db_keypairs

_SAFE_CHARS = frozenset('_- ' + string.digits + string.ascii_letters)
GENERATED_KEY_BITS = 2048
SSH = 'ssh'
X509 = 'x509'
_UPN_OID = '1.3.6.1.4.1.311.20.2.3'  # Microsoft's User Principal Name, as nova's certificate has it


def fingerprint(public_key):
    """The MD5 fingerprint of an OpenSSH public key line; InvalidKeypair unless it parses."""
    # cryptography is imported on first use: ~7 MB a process that never handles a key pair keeps.
    from cryptography.hazmat.primitives import serialization
    try:
        serialization.load_ssh_public_key(public_key.encode('utf-8'))
        digest = hashlib.md5(base64.b64decode(public_key.split(' ')[1]), usedforsecurity=False).hexdigest()
    except Exception:
        raise exception.InvalidKeypair(reason='failed to generate fingerprint')
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


def x509_fingerprint(certificate):
    """The SHA-1 fingerprint of a PEM certificate; InvalidKeypair unless it parses."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    try:
        digest = x509.load_pem_x509_certificate(certificate.encode('utf-8')).fingerprint(hashes.SHA1()).hex()
    except (ValueError, TypeError):
        raise exception.InvalidKeypair(reason='failed to generate X509 fingerprint')
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


def generate_x509_certificate(user_id):
    """(base64 PKCS#12 private key, PEM certificate, fingerprint) of a new client certificate."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=GENERATED_KEY_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    upn = x509.OtherName(x509.ObjectIdentifier(_UPN_OID), _der_utf8('%s@localhost' % user_id))
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                   .add_extension(x509.SubjectAlternativeName([upn]), critical=False)
                   .sign(key, hashes.SHA256()))
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode('ascii')
    bundle = pkcs12.serialize_key_and_certificates(None, key, certificate, None, serialization.NoEncryption())
    return base64.b64encode(bundle).decode('ascii'), pem, x509_fingerprint(pem)


def _der_utf8(text):
    """`text` as a DER UTF8String (tag 12), the value of an otherName."""
    data = text.encode('utf-8')
    length = bytes([len(data)]) if len(data) < 128 else bytes([0x81, len(data)])
    return b'\x0c' + length + data


def generate_key_pair():
    """(private key PEM, public key line, fingerprint) of a new RSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=GENERATED_KEY_BITS)
    private_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()).decode('ascii')
    public_key = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                               serialization.PublicFormat.OpenSSH).decode('ascii')
    public_key += ' Generated-by-Nova'
    return private_key, public_key, fingerprint(public_key)


def _validate_name(name):
    if any(char not in _SAFE_CHARS for char in name):
        raise exception.InvalidKeypair(reason='Keypair name contains unsafe characters')
    if not 1 <= len(name) <= 255:
        raise exception.InvalidKeypair(reason='Keypair name must be string and between 1 and 255 characters long')


def _check_quota(conn, conf, project_id, user_id, locking=False):
    """nova's key_pairs quota: the project's limit, counted per user."""
    allowed = quotas.limits_for(conn, conf, project_id)['key_pairs']
    if 0 <= allowed < db_keypairs.count_for_user(conn, user_id, locking) + 1:
        raise exception.KeypairLimitExceeded()


def list_keypairs(store, user_id):
    with store.read() as conn:
        return db_keypairs.list_for_user(conn, user_id)


def get_keypair(store, user_id, name):
    with store.read() as conn:
        keypair = db_keypairs.get(conn, user_id, name)
    if keypair is None:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
    return keypair


def create_keypair(store, conf, context, user_id, name, public_key=None, key_type=SSH):
    """(the new key pair row of `user_id`, its private key or None): imports `public_key`, or
    generates a pair. The quota is the caller's project's, counted per user."""
    _validate_name(name)
    with store.read() as conn:
        _check_quota(conn, conf, context.project_id, user_id)
    private_key = None
    if public_key is None and key_type == X509:
        private_key, public_key, key_fingerprint = generate_x509_certificate(user_id)
    elif public_key is None:
        private_key, public_key, key_fingerprint = generate_key_pair()
    elif key_type == X509:
        key_fingerprint = x509_fingerprint(public_key)
    else:
        key_fingerprint = fingerprint(public_key)
    try:
        with store.write() as conn:
            # Again under the project's quota lock: concurrent creates count each other's keys.
            quotas.lock_project(conn, context.project_id)
            if db_keypairs.get(conn, user_id, name) is not None:
                raise exception.KeyPairExists(key_name=name)
            _check_quota(conn, conf, context.project_id, user_id, locking=True)
            keypair = db_keypairs.create(conn, user_id, name, public_key, key_fingerprint, key_type)
    except sa.exc.IntegrityError:  # a concurrent create of the same name won
        raise exception.KeyPairExists(key_name=name)
    return keypair, private_key


def delete_keypair(store, user_id, name):
    with store.write() as conn:
        if not db_keypairs.delete(conn, user_id, name):
            raise exception.KeypairNotFound(name=name, user_id=user_id)
