"""Flavor documents."""
from compute_api.api.views import links


def summary(req, flavor):
    return {'id': flavor['flavorid'], 'name': flavor['name'],
            'links': links.resource_links(req, 'flavors', flavor['flavorid'])}


def detail(req, flavor):
    return {
        'id': flavor['flavorid'],
        'name': flavor['name'],
        'ram': flavor['memory_mb'],
        'disk': flavor['root_gb'],
        'vcpus': flavor['vcpus'] or '',
        'links': links.resource_links(req, 'flavors', flavor['flavorid']),
        'OS-FLV-EXT-DATA:ephemeral': flavor['ephemeral_gb'],
        'OS-FLV-DISABLED:disabled': bool(flavor['disabled']),
        'os-flavor-access:is_public': bool(flavor['is_public']),
        'swap': flavor['swap'] or '',
        'rxtx_factor': flavor['rxtx_factor'],
    }


def access(flavorid, projects):
    return {'flavor_access': [{'flavor_id': flavorid, 'tenant_id': project} for project in projects]}
