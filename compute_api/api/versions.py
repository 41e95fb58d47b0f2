"""Version discovery: GET / (200 list), version documents, 300 Multiple Choices."""
from compute_api.api import microversion

DESCRIBED_BY = {'rel': 'describedby', 'type': 'text/html', 'href': 'http://docs.openstack.org/'}

VERSIONS = {
    'v2.0': {
        'id': 'v2.0', 'status': 'SUPPORTED', 'version': '', 'min_version': '',
        'updated': '2011-01-21T11:33:21Z', 'path': 'v2',
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2'}],
    },
    'v2.1': {
        'id': 'v2.1', 'status': 'CURRENT', 'version': str(microversion.MAX_VERSION),
        'min_version': str(microversion.MIN_VERSION),
        'updated': '2013-07-23T11:33:21Z', 'path': 'v2.1',
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2.1'}],
    },
}
ORDER = ('v2.0', 'v2.1')

_SUMMARY_KEYS = ('id', 'status', 'version', 'min_version', 'updated')


def version_list(base_url):
    """GET / — every version we serve, v2.0 first (tempest expects that order)."""
    return {'versions': [
        dict({k: VERSIONS[v][k] for k in _SUMMARY_KEYS},
             links=[{'rel': 'self', 'href': '%s/%s/' % (base_url, VERSIONS[v]['path'])}])
        for v in ORDER]}


def version_document(base_url, version_id):
    """GET /v2/ or /v2.1/ (also /v2.1/{project_id})."""
    version = VERSIONS[version_id]
    doc = {k: version[k] for k in _SUMMARY_KEYS}
    doc['links'] = [{'rel': 'self', 'href': '%s/%s/' % (base_url, version['path'])}, dict(DESCRIBED_BY)]
    doc['media-types'] = [dict(m) for m in version['media-types']]
    return {'version': doc}


def choices(base_url, path):
    """300 Multiple Choices for an unversioned path: where it lives in each version."""
    path = path.strip('/')
    return {'choices': [
        {'id': VERSIONS[v]['id'], 'status': VERSIONS[v]['status'],
         'links': [{'rel': 'self', 'href': '%s/%s/%s' % (base_url, VERSIONS[v]['path'], path)}],
         'media-types': [dict(m) for m in VERSIONS[v]['media-types']]}
        for v in ORDER]}
