"""The leaky buckets of nova's legacy rate limits, on a clock the test moves."""
from compute_api.api import ratelimit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def limiter(text):
    clock = Clock()
    return ratelimit.Limiter(ratelimit.parse_limits(text), clock=clock), clock


def test_a_bucket_leaks_at_its_rate():
    limits, clock = limiter('(POST, "*", .*, 3, MINUTE)')
    for _ in range(3):
        assert limits.check('POST', 'http://h/v2/p/servers', 'u') == (None, None)
    delay, limit = limits.check('POST', 'http://h/v2/p/servers', 'u')
    assert delay == 20 and limit.error_message == 'Only 3 POST request(s) can be made to * every minute.'
    clock.now += 20  # one request's worth leaked out
    assert limits.check('POST', 'http://h/v2/p/servers', 'u') == (None, None)
    assert limits.check('POST', 'http://h/v2/p/servers', 'u')[0] == 20


def test_remaining_and_reset_time_are_shown():
    limits, clock = limiter('(PUT, "*", .*, 4, HOUR)')
    limits.check('PUT', 'http://h/v2/p/servers/x', 'u')
    (shown,) = limits.displays('u')
    assert shown == {'verb': 'PUT', 'uri': '*', 'regex': '.*', 'value': 4, 'remaining': 3, 'unit': 'HOUR',
                     'reset_time': 1000}


def test_the_regex_matches_the_full_url_from_its_start_as_novas_did():
    limits, _clock = limiter('(POST, "*/servers", ^/servers, 1, MINUTE)')
    for _ in range(3):
        assert limits.check('POST', 'http://h/v2/p/servers', 'u') == (None, None)


def test_the_smallest_overflow_is_reported():
    limits, _clock = limiter('(GET, "*", .*, 1, HOUR);(GET, "*", .*, 1, MINUTE)')
    limits.check('GET', 'http://h/', 'u')
    delay, limit = limits.check('GET', 'http://h/', 'u')
    assert (delay, limit.unit) == (60, 60)


def test_each_user_has_own_buckets():
    limits, _clock = limiter('(DELETE, "*", .*, 1, DAY)')
    assert limits.check('DELETE', 'http://h/x', 'a') == (None, None)
    assert limits.check('DELETE', 'http://h/x', 'b') == (None, None)
    assert limits.check('DELETE', 'http://h/x', 'a')[0] == 86400


def test_a_user_is_forgotten_once_the_buckets_are_empty_again():
    limits, clock = limiter('(POST, "*", .*, 2, MINUTE);(DELETE, "*", .*, 1, HOUR)')
    limits.check('POST', 'http://h/x', 'a')
    limits.check('DELETE', 'http://h/x', 'a')
    clock.now += 60  # the POST bucket is empty, the DELETE one is not: a is kept
    limits.check('POST', 'http://h/x', 'b')
    assert list(limits.levels) == ['a', 'b']
    assert limits.check('DELETE', 'http://h/x', 'a')[0] == 3540
    clock.now += 3600  # both of a's and b's buckets are empty: only the caller is held
    limits.check('POST', 'http://h/x', 'c')
    assert list(limits.levels) == ['c']
    assert limits.check('DELETE', 'http://h/x', 'a') == (None, None)


def test_at_most_max_users_are_held():
    limits = ratelimit.Limiter(ratelimit.parse_limits('(DELETE, "*", .*, 1, DAY)'), clock=Clock(), max_users=2)
    for user in ('a', 'b', 'c'):
        assert limits.check('DELETE', 'http://h/x', user) == (None, None)
    assert list(limits.levels) == ['b', 'c']
    assert limits.check('DELETE', 'http://h/x', 'c')[0] == 86400  # the ones held still count
