"""self/bookmark links, nova style."""


def resource_links(req, collection, resource_id):
    return [
        {'rel': 'self', 'href': '%s/%s/%s' % (req.link_prefix, collection, resource_id)},
        {'rel': 'bookmark', 'href': '%s/%s/%s' % (req.bookmark_prefix, collection, resource_id)},
    ]


def bookmark(req, collection, resource_id):
    return [{'rel': 'bookmark', 'href': '%s/%s/%s' % (req.bookmark_prefix, collection, resource_id)}]
