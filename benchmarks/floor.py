"""The floor: a bare webob app returning 2 KB of JSON, served by the same server software as the
compute app in the same run, so every compute figure can also be given as a ratio to it."""
import json

import webob
import webob.dec

BODY_SIZE = 2048


def _body():
    document = {'versions': [{'id': 'v%d' % i, 'status': 'CURRENT', 'updated': '2026-01-01T00:00:00Z'}
                             for i in range(10)], 'padding': ''}
    short = BODY_SIZE - len(json.dumps(document).encode())
    document['padding'] = 'x' * short
    return json.dumps(document).encode()


BODY = _body()


@webob.dec.wsgify
def application(req):
    return webob.Response(body=BODY, content_type='application/json', charset=None)
