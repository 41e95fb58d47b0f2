"""Security groups: /os-security-groups, /os-security-group-rules, a server's groups and the
addSecurityGroup/removeSecurityGroup actions (nova's os-security-groups at 2.1, nova-network ids)."""
import pytest

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


def create(client, name='web', description='web servers', status=200):
    return client.post('/v2.1/os-security-groups', {'security_group': {'name': name, 'description': description}},
                       status=status)


def add_rule(client, status=200, **rule):
    return client.post('/v2.1/os-security-group-rules', {'security_group_rule': rule}, status=status)


def message(response):
    return next(iter(response.json.values()))['message']


def boot(client, **extra):
    body = {'server': dict({'name': 's1', 'imageRef': IMAGE, 'flavorRef': '1'}, **extra)}
    return client.post('/v2.1/servers', body, status=202).json['server']['id']


def test_a_project_lists_its_default_group_from_the_start(client):
    groups = client.get('/v2.1/os-security-groups').json['security_groups']
    assert groups == [{'id': groups[0]['id'], 'name': 'default', 'description': 'default', 'tenant_id': 'demo',
                       'rules': []}]


def test_create_show_list_update_delete(client):
    group = create(client).json['security_group']
    assert group == {'id': group['id'], 'name': 'web', 'description': 'web servers', 'tenant_id': 'demo',
                     'rules': []}
    assert isinstance(group['id'], int)
    path = '/v2.1/os-security-groups/%d' % group['id']
    assert client.get(path).json == {'security_group': group}
    assert [g['name'] for g in client.get('/v2.1/os-security-groups').json['security_groups']] == ['default', 'web']
    updated = client.put(path, {'security_group': {'name': 'www', 'description': 'renamed'}}).json
    assert updated['security_group']['name'] == 'www' and updated['security_group']['description'] == 'renamed'
    client.delete(path, status=202)
    client.get(path, status=404)


def test_create_refuses_a_taken_name_and_bad_properties(client):
    create(client, 'web')
    assert message(create(client, 'web', status=400)) == 'Security group web already exists'
    assert message(create(client, 'default', status=400)) == 'Security group default already exists'
    assert message(create(client, '  ', status=400)) == 'name has a minimum character requirement of 1.'
    assert message(create(client, 'x' * 256, status=400)) == 'name has more than 255 characters.'
    create(client, 'x', None, status=400)
    assert message(client.post('/v2.1/os-security-groups', {'group': {}}, status=400)) == \
        'Missing parameter security_group'


def test_the_default_group_cannot_be_renamed_or_deleted(client):
    default = client.get('/v2.1/os-security-groups').json['security_groups'][0]
    path = '/v2.1/os-security-groups/%d' % default['id']
    assert message(client.delete(path, status=400)) == "Unable to delete system group 'default'"
    assert message(client.put(path, {'security_group': {'name': 'x', 'description': 'y'}}, status=400)) == \
        "Unable to update system group 'default'"


def test_ids_are_integers_and_other_projects_groups_are_not_found(client):
    assert message(client.get('/v2.1/os-security-groups/abc', status=400)) == 'Security group id should be integer'
    group = create(client).json['security_group']
    other = client.as_user('alice', 'other')
    assert message(other.get('/v2.1/os-security-groups/%d' % group['id'], status=404)) == \
        'Security group %d not found.' % group['id']
    other.delete('/v2.1/os-security-groups/%d' % group['id'], status=404)
    assert 'web' not in [g['name'] for g in other.get('/v2.1/os-security-groups').json['security_groups']]


UUID = '7c5e0f0a-9e2b-4a57-8f3e-1b2c3d4e5f60'


def test_a_uuid_names_no_group_and_is_not_found_as_nova_with_neutron_answers(client):
    path = '/v2.1/os-security-groups/' + UUID
    assert message(client.get(path, status=404)) == 'Security group %s not found.' % UUID
    assert message(client.put(path, {'security_group': {'name': 'x', 'description': 'y'}}, status=404)) == \
        'Security group %s not found.' % UUID
    assert message(client.delete(path, status=404)) == 'Security group %s not found.' % UUID
    assert message(add_rule(client, status=404, parent_group_id=UUID, ip_protocol='tcp', from_port=22,
                            to_port=22)) == 'Security group %s not found.' % UUID
    web = create(client).json['security_group']
    assert message(add_rule(client, status=404, parent_group_id=web['id'], ip_protocol='tcp', group_id=UUID)) == \
        'Security group %s not found.' % UUID
    assert message(client.delete('/v2.1/os-security-group-rules/' + UUID, status=404)) == \
        'Security group with rule %s not found.' % UUID
    assert message(client.delete('/v2.1/os-security-group-rules/not-a-uuid', status=400)) == \
        'Security group id should be integer'


def test_admin_lists_every_project_with_all_tenants(client, admin):
    create(client)
    names = {(g['tenant_id'], g['name']) for g in admin.get('/v2.1/os-security-groups?all_tenants=1').json[
        'security_groups']}
    assert ('demo', 'web') in names and ('admin', 'default') in names
    assert ('demo', 'web') not in {(g['tenant_id'], g['name'])
                                   for g in admin.get('/v2.1/os-security-groups').json['security_groups']}


def test_quota_counts_groups_including_default(client, admin):
    admin.put('/v2.1/os-quota-sets/demo', {'quota_set': {'security_groups': 2}})
    create(client, 'one')
    assert message(create(client, 'two', status=403)) == 'Quota exceeded, too many security groups.'
    limits = client.get('/v2.1/limits').json['limits']['absolute']
    assert limits['totalSecurityGroupsUsed'] == 2 and limits['maxSecurityGroups'] == 2


def test_cidr_and_group_rules(client):
    web = create(client).json['security_group']
    db = create(client, 'db', 'databases').json['security_group']
    rule = add_rule(client, parent_group_id=web['id'], ip_protocol='tcp', from_port=80, to_port=80,
                    cidr='10.0.0.0/24').json['security_group_rule']
    assert rule == {'id': rule['id'], 'parent_group_id': web['id'], 'ip_protocol': 'tcp', 'from_port': 80,
                    'to_port': 80, 'ip_range': {'cidr': '10.0.0.0/24'}, 'group': {}}
    from_group = add_rule(client, parent_group_id=str(db['id']), group_id=web['id'], ip_protocol='tcp').json[
        'security_group_rule']
    assert from_group['group'] == {'name': 'web', 'tenant_id': 'demo'} and from_group['ip_range'] == {}
    assert (from_group['from_port'], from_group['to_port']) == (1, 65535)
    shown = client.get('/v2.1/os-security-groups/%d' % db['id']).json['security_group']
    assert shown['rules'] == [from_group]
    client.delete('/v2.1/os-security-group-rules/%d' % rule['id'], status=202)
    assert client.get('/v2.1/os-security-groups/%d' % web['id']).json['security_group']['rules'] == []
    assert message(client.delete('/v2.1/os-security-group-rules/%d' % rule['id'], status=404)) == \
        'Security group with rule %d not found.' % rule['id']


def test_deleting_a_source_group_takes_its_rules_elsewhere_too(client):
    web = create(client).json['security_group']
    db = create(client, 'db', 'databases').json['security_group']
    add_rule(client, parent_group_id=db['id'], group_id=web['id'], ip_protocol='icmp')
    client.delete('/v2.1/os-security-groups/%d' % web['id'], status=202)
    assert client.get('/v2.1/os-security-groups/%d' % db['id']).json['security_group']['rules'] == []


@pytest.mark.parametrize('rule,status,text', [
    ({'ip_protocol': 'tcp', 'from_port': 80}, 400, 'Not enough parameters to build a valid rule.'),
    ({'ip_protocol': 'gre', 'from_port': 1, 'to_port': 2}, 400, 'Invalid IP protocol gre.'),
    ({'ip_protocol': 'tcp', 'from_port': 90, 'to_port': 80}, 400,
     'Invalid port range 90:80. Former value cannot be greater than the later'),
    ({'ip_protocol': 'udp', 'from_port': 0, 'to_port': 80}, 400,
     'Invalid port range 0:80. Valid UDP ports should be between 1-65535'),
    ({'ip_protocol': 'icmp', 'from_port': -2, 'to_port': 0}, 400,
     'Invalid port range -2:0. For ICMP, the type:code must be valid'),
    ({'ip_protocol': 'tcp', 'from_port': 'a', 'to_port': 80}, 400,
     'Invalid input received: To and From ports must be integers'),
    ({'ip_protocol': 'tcp', 'from_port': 1, 'to_port': 2, 'cidr': '10.0.0.300/8'}, 400, 'Invalid cidr 10.0.0.300/8.'),
    ({'ip_protocol': 'tcp', 'from_port': 1, 'to_port': 2, 'cidr': '10.0.0.0/0'}, 400,
     'Bad prefix for network in cidr 10.0.0.0/0'),
    ({'ip_protocol': 'tcp', 'from_port': 1, 'to_port': 2, 'group_id': 99999}, 404,
     'Security group 99999 not found.'),
])
def test_bad_rules_are_refused_and_write_nothing(client, rule, status, text):
    web = create(client).json['security_group']
    assert message(add_rule(client, status=status, parent_group_id=web['id'], **rule)) == text
    assert client.get('/v2.1/os-security-groups/%d' % web['id']).json['security_group']['rules'] == []


def test_rule_parent_must_exist_and_duplicates_are_refused(client, admin):
    assert message(add_rule(client, status=400, ip_protocol='tcp')) == 'Security group id should be integer'
    assert message(add_rule(client, status=404, parent_group_id=424242, ip_protocol='tcp', from_port=1,
                            to_port=2)) == 'Security group 424242 not found.'
    web = create(client).json['security_group']
    add_rule(client, parent_group_id=web['id'], ip_protocol='tcp', from_port=22, to_port=22)
    assert message(add_rule(client, status=400, parent_group_id=web['id'], ip_protocol='TCP', from_port=22,
                            to_port=22)) == 'This rule already exists in group %d' % web['id']
    admin.put('/v2.1/os-quota-sets/demo', {'quota_set': {'security_group_rules': 1}})
    assert message(add_rule(client, status=403, parent_group_id=web['id'], ip_protocol='tcp', from_port=23,
                            to_port=23)) == 'Quota exceeded, too many security group rules.'


def test_create_server_names_existing_groups_only(client):
    create(client)
    server = boot(client, security_groups=[{'name': 'web'}])
    assert client.get('/v2.1/servers/%s' % server).json['server']['security_groups'] == [{'name': 'web'}]
    body = {'server': {'name': 's2', 'imageRef': IMAGE, 'flavorRef': '1', 'security_groups': [{'name': 'nope'}]}}
    client.post('/v2.1/servers', body, status=400)


def test_server_groups_and_add_remove_actions(client):
    web = create(client).json['security_group']
    server = boot(client)
    action = '/v2.1/servers/%s/action' % server
    listed = client.get('/v2.1/servers/%s/os-security-groups' % server).json['security_groups']
    assert [g['name'] for g in listed] == ['default']
    client.post(action, {'addSecurityGroup': {'name': 'web'}}, status=202)
    listed = client.get('/v2.1/servers/%s/os-security-groups' % server).json['security_groups']
    assert [g['name'] for g in listed] == ['default', 'web'] and listed[1] == web
    assert message(client.post(action, {'addSecurityGroup': {'name': 'web'}}, status=400)) == \
        'Security group %d is already associated with the instance %s' % (web['id'], server)
    assert message(client.post(action, {'addSecurityGroup': {'name': 'nope'}}, status=404)) == \
        'Security group nope not found for project demo.'
    assert message(client.post(action, {'addSecurityGroup': {}}, status=400)) == 'Security group not specified'
    assert message(client.post(action, {'addSecurityGroup': {'name': ' '}}, status=400)) == \
        'Security group name cannot be empty'
    # a group in use cannot go; renaming it renames it on the server
    assert message(client.delete('/v2.1/os-security-groups/%d' % web['id'], status=400)) == \
        'Security group is still in use'
    client.put('/v2.1/os-security-groups/%d' % web['id'], {'security_group': {'name': 'www', 'description': 'd'}})
    assert client.get('/v2.1/servers/%s' % server).json['server']['security_groups'] == [
        {'name': 'default'}, {'name': 'www'}]
    client.post(action, {'removeSecurityGroup': {'name': 'www'}}, status=202)
    client.post(action, {'removeSecurityGroup': {'name': 'default'}}, status=202)
    assert 'security_groups' not in client.get('/v2.1/servers/%s' % server).json['server']  # as nova
    assert message(client.post(action, {'removeSecurityGroup': {'name': 'www'}}, status=400)) == \
        'Security group %d not associated with the instance %s' % (web['id'], server)
    client.delete('/v2.1/os-security-groups/%d' % web['id'], status=202)


def test_a_deleted_server_no_longer_holds_its_groups(client, services):
    web = create(client).json['security_group']
    server = boot(client, security_groups=[{'name': 'web'}])
    services.tasks.wait()
    client.delete('/v2.1/servers/%s' % server, status=204)
    services.tasks.wait()
    client.delete('/v2.1/os-security-groups/%d' % web['id'], status=202)


def test_legacy_v2_endpoint_serves_the_same(client):
    group = client.post('/v2/demo/os-security-groups', {'security_group': {'name': 'v2', 'description': 'd'}}).json
    assert client.get('/v2/demo/os-security-groups/%d' % group['security_group']['id']).json == group
