"""nova's legacy rate limiting on the /v2 endpoint: off by default; when on, 429 overLimit past a
user's limit, per user, and /limits shows the caller's buckets. /v2.1 is never rate limited."""
import re

import pytest
import webtest

from compute_api.api import deploy
from tests.conftest import Client

LIMITS = '(POST, "*", .*, 2, MINUTE);(GET, "*changes-since*", .*changes-since.*, 1, HOUR)'


@pytest.fixture
def limited(conf, services):
    conf.set_override('rate_limit', True, group='api')
    conf.set_override('rate_limits', LIMITS, group='api')
    return Client(webtest.TestApp(deploy.load_app(services)))


def post_something(client, prefix='/v2/demo', status=403):
    # A POST any member may try (and policy refuses): it counts against the POST limit all the same.
    return client.post(prefix + '/flavors', {'flavor': {}}, status=status)


def test_off_by_default(client):
    for _ in range(5):
        post_something(client)
    assert client.get('/v2/demo/limits').json['limits']['rate'] == []


def test_over_the_limit_is_429_overlimit_with_retry_after(limited):
    post_something(limited)
    post_something(limited)
    resp = post_something(limited, status=429)
    body = resp.json['overLimit']
    retry_after = resp.headers['Retry-After']
    assert body == {'code': 429, 'message': 'This request was rate-limited.',
                    'details': 'Only 2 POST request(s) can be made to * every minute.', 'retryAfter': retry_after}
    assert 0 < int(retry_after) <= 60


def test_limits_are_per_user(limited):
    post_something(limited)
    post_something(limited)
    post_something(limited, status=429)
    post_something(limited.as_user('bob', 'demo'))


def test_verbs_and_urls_outside_a_limit_pass(limited):
    post_something(limited)
    post_something(limited)
    for _ in range(3):
        limited.get('/v2/demo/flavors')
    limited.get('/v2/demo/servers?changes-since=2020-01-01T00:00:00Z')
    limited.get('/v2/demo/servers?changes-since=2020-01-01T00:00:00Z', status=429)


def test_v21_is_not_rate_limited(limited):
    for _ in range(4):
        post_something(limited, '/v2.1')
    assert limited.get('/v2.1/limits').json['limits']['rate'] == []


def test_limits_show_the_callers_buckets(limited):
    post_something(limited)
    rate = limited.get('/v2/demo/limits').json['limits']['rate']
    assert [(group['uri'], group['regex']) for group in rate] == [('*', '.*'), ('*changes-since*', '.*changes-since.*')]
    (post,) = rate[0]['limit']
    assert {k: v for k, v in post.items() if k != 'next-available'} == {
        'verb': 'POST', 'value': 2, 'remaining': 1, 'unit': 'MINUTE'}
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', post['next-available'])
    (changes,) = rate[1]['limit']
    assert (changes['verb'], changes['value'], changes['remaining'], changes['unit']) == ('GET', 1, 1, 'HOUR')


def test_novas_default_limits_when_only_switched_on(conf, services):
    conf.set_override('rate_limit', True, group='api')
    client = Client(webtest.TestApp(deploy.load_app(services)))
    rate = client.get('/v2/demo/limits').json['limits']['rate']
    assert [(g['uri'], [(lim['verb'], lim['value'], lim['unit']) for lim in g['limit']]) for g in rate] == [
        ('*', [('POST', 120, 'MINUTE'), ('PUT', 120, 'MINUTE'), ('DELETE', 120, 'MINUTE')]),
        ('*/servers', [('POST', 120, 'MINUTE')]),
        ('*changes-since*', [('GET', 120, 'MINUTE')]),
        ('*/os-fping', [('GET', 12, 'MINUTE')]),
    ]


@pytest.mark.parametrize('bad', ['POST, "*", .*, 2, MINUTE', '(POST, "*", .*, 2)', '(POST, "*", .*, 2, WEEK)',
                                 '(POST, "*", .*, zero, MINUTE)', '(POST, "*", .*, 0, MINUTE)'])
def test_malformed_limits_fail_the_start(conf, services, bad):
    conf.set_override('rate_limit', True, group='api')
    conf.set_override('rate_limits', bad, group='api')
    with pytest.raises(ValueError):
        deploy.load_app(services)
