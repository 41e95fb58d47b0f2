"""nova's legacy rate limiting (RateLimitingMiddleware, served on the /v2 endpoint until nova
removed it in Newton); off unless [api] rate_limit is true.

Limits are "(VERB, URI, REGEX, VALUE, UNIT);..." ([api] rate_limits, nova's defaults): each is a
leaky bucket per user, `VALUE` requests per `UNIT` (SECOND, MINUTE, HOUR, DAY), applying to
requests with that verb whose full URL matches REGEX from its start (as nova: so "^/servers"
never matches; the ".*" limits do). A request that would overflow any of the caller's buckets
is refused with 429 overLimit, Retry-After and retryAfter (whole seconds until it would pass);
it is not counted in the buckets it overflowed, but is in the caller's others that it matches
(as nova's). The buckets live in this process: with several API processes each
keeps its own, so the effective limit is the per-process one times the number of processes.
GET /limits shows the caller's buckets (`rate`) when this middleware is on.
"""
import collections
import copy
import math
import re
import threading
import time

import webob

from compute_api import exception
from compute_api.api import faults
from compute_api.api import wsgi

ENV_LIMITS = 'compute_api.rate_limits'
UNITS = {'SECOND': 1, 'MINUTE': 60, 'HOUR': 3600, 'DAY': 86400}
_UNIT_NAMES = {seconds: name for name, seconds in UNITS.items()}


class Limit:
    """One leaky bucket: `value` requests per `unit` seconds."""

    def __init__(self, verb, uri, regex, value, unit):
        if value <= 0:
            raise ValueError('Limit value must be > 0')
        self.verb, self.uri, self.regex, self.value, self.unit = verb, uri, regex, value, unit
        self.pattern = re.compile(regex)
        self.remaining = value
        self.water_level = 0.0
        self.last_request = None
        self.next_request = None
        self.request_value = float(unit) / value
        self.error_message = 'Only %d %s request(s) can be made to %s every %s.' % (
            value, verb, uri, _UNIT_NAMES[unit].lower())

    def hit(self, verb, url, now):
        """Count a request; the seconds until it would pass when it overflows (not counted), else None."""
        if verb != self.verb or not self.pattern.match(url):
            return None
        if self.last_request is None:
            self.last_request = now
        self.water_level = max(self.water_level - (now - self.last_request), 0) + self.request_value
        self.last_request = now
        overflow = self.water_level - self.unit
        if overflow > 0:
            self.water_level -= self.request_value
            self.next_request = now + overflow
            return overflow
        self.remaining = math.floor((self.unit - self.water_level) / self.unit * self.value)
        self.next_request = now
        return None

    def is_empty(self, now):
        """Whether everything counted has leaked out by `now` (the bucket is as a new one)."""
        return self.last_request is None or now - self.last_request >= self.water_level

    def display(self, now):
        return {'verb': self.verb, 'uri': self.uri, 'regex': self.regex, 'value': self.value,
                'remaining': int(self.remaining), 'unit': _UNIT_NAMES[self.unit],
                'reset_time': int(self.next_request or now)}


def parse_limits(text):
    """[Limit] from nova's "(VERB, URI, REGEX, VALUE, UNIT);..." format; ValueError when malformed."""
    limits = []
    for group in (g.strip() for g in text.strip().split(';') if text.strip()):
        if not (group.startswith('(') and group.endswith(')')):
            raise ValueError('Limit rules must be surrounded by parentheses: %s' % group)
        args = [arg.strip() for arg in group[1:-1].split(',')]
        if len(args) != 5:
            raise ValueError('Limit rules must contain the following arguments: verb, uri, regex, value, unit: %s'
                             % group)
        verb, uri, regex, value, unit = args
        if unit.upper() not in UNITS:
            raise ValueError('Invalid units specified: %s' % unit)
        limits.append(Limit(verb.upper(), uri.strip('"'), regex, int(value), UNITS[unit.upper()]))
    return limits


class Limiter:
    """Every user's own copy of the limits, behind one lock (requests run on many threads).

    A user's copy is dropped once all its buckets are empty again (a new copy counts the same),
    so the users held are those seen within the longest unit; beyond `max_users` the least
    recently seen are dropped even so (their limits start afresh)."""

    MAX_USERS = 10000

    def __init__(self, limits, clock=time.time, max_users=MAX_USERS):
        self.limits = limits
        self.clock = clock
        self.max_users = max_users
        self.levels = collections.OrderedDict()  # user -> their limits, least recently seen first
        self.lock = threading.Lock()

    def _user_limits(self, user, now):
        while self.levels:
            oldest, limits = next(iter(self.levels.items()))
            if len(self.levels) < self.max_users and not all(limit.is_empty(now) for limit in limits):
                break
            del self.levels[oldest]
        if user not in self.levels:
            self.levels[user] = copy.deepcopy(self.limits)
        self.levels.move_to_end(user)
        return self.levels[user]

    def check(self, verb, url, user):
        """(seconds to wait, the limit) for the smallest overflow, or (None, None) when it passes."""
        with self.lock:
            now = self.clock()
            delays = [(delay, limit) for limit in self._user_limits(user, now)
                      for delay in [limit.hit(verb, url, now)] if delay]
        if not delays:
            return None, None
        return min(delays, key=lambda pair: pair[0])

    def displays(self, user):
        with self.lock:
            now = self.clock()
            return [limit.display(now) for limit in self._user_limits(user, now)]


class RateLimitingMiddleware:
    """Refuses requests over the caller's limits (429) and hands /limits the caller's buckets."""

    def __init__(self, app, limiter):
        self.app = app
        self.limiter = limiter

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        context = environ.get(wsgi.ENV_CONTEXT)
        user = context.user_id if context is not None else None
        delay, limit = self.limiter.check(req.method, req.url, user)
        if delay:
            retry_after = max(int(math.ceil(delay)), 0)
            resp = faults.from_exception(exception.RateLimited(limit.error_message, retry_after))
            return resp(environ, start_response)
        environ[ENV_LIMITS] = self.limiter.displays(user)
        return self.app(environ, start_response)
