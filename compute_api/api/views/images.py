"""Image documents (nova's images view, with OS-EXT-IMG-SIZE and OS-DCF)."""
from compute_api.api import common
from compute_api.api.views import links
from compute_api.compute import images as compute_images

ALTERNATE_TYPE = 'application/vnd.openstack.image'


def _date(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


def _links(req, image_id):
    """self, bookmark, and the alternate link to the image service: [api] glance_link_prefix
    (nova's osapi_glance_link_prefix) when set, else this service's unversioned URL, which
    serves the image too."""
    result = links.resource_links(req, 'images', image_id)
    glance = req.services.conf.api.glance_link_prefix
    if glance:
        project = req.urlvars.get('project_id')
        base = glance.rstrip('/') + ('/' + project if project else '')
    else:
        base = req.bookmark_prefix
    result.append({'rel': 'alternate', 'type': ALTERNATE_TYPE, 'href': '%s/images/%s' % (base, image_id)})
    return result


def summary(req, image):
    return {'id': image['id'], 'name': image['name'], 'links': _links(req, image['id'])}


def detail(req, image):
    doc = {
        'id': image['id'],
        'name': image['name'],
        'minRam': int(image['min_ram'] or 0),
        'minDisk': int(image['min_disk'] or 0),
        'metadata': dict(image.properties),
        'created': _date(image['created_at']),
        'updated': _date(image['updated_at']),
        'status': compute_images.api_status(image['status']),
        'progress': compute_images.PROGRESS.get(image['status'], 0),
        'links': _links(req, image['id']),
        'OS-EXT-IMG-SIZE:size': image['size'],
    }
    server = image.properties.get(compute_images.INSTANCE_UUID)
    if server is not None:
        doc['server'] = {'id': server, 'links': links.resource_links(req, 'servers', server)}
    auto_disk_config = image.properties.get('auto_disk_config')
    if auto_disk_config is not None:
        doc['OS-DCF:diskConfig'] = 'AUTO' if common.bool_from_string(auto_disk_config) else 'MANUAL'
    return doc
