"""Initial schema, nova's default flavors and the two images tempest's sample configuration names.

Revision ID: 0001
Revises: 
"""
import datetime

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb')

# nova's default flavors (seeded by nova until Newton): flavorid, name, memory_mb, vcpus, root_gb.
DEFAULT_FLAVORS = [
    ('1', 'm1.tiny', 512, 1, 1),
    ('2', 'm1.small', 2048, 1, 20),
    ('3', 'm1.medium', 4096, 2, 40),
    ('4', 'm1.large', 8192, 4, 80),
    ('5', 'm1.xlarge', 16384, 8, 160),
]
# Public ACTIVE images with the ids tempest's sample configuration uses (image_ref, image_ref_alt).
DEFAULT_IMAGES = [
    ('155d900f-4e14-4e4c-a73d-069cbf4541e6', 'cirros-0.6.2-x86_64-disk'),
    ('a2459075-d96c-40d5-893e-577ff92e721c', 'cirros-0.6.2-x86_64-disk-alt'),
]


def upgrade():
    op.create_table('flavors',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('flavorid', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('memory_mb', sa.Integer(), nullable=False),
    sa.Column('vcpus', sa.Integer(), nullable=False),
    sa.Column('root_gb', sa.Integer(), nullable=False),
    sa.Column('ephemeral_gb', sa.Integer(), nullable=False),
    sa.Column('swap', sa.Integer(), nullable=False),
    sa.Column('rxtx_factor', sa.Float(), nullable=False),
    sa.Column('vcpu_weight', sa.Integer(), nullable=True),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flavors')),
    sa.UniqueConstraint('flavorid', name=op.f('uq_flavors_flavorid')),
    sa.UniqueConstraint('name', name=op.f('uq_flavors_name'))
    )
    op.create_table('images',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=255), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('min_disk', sa.Integer(), nullable=False),
    sa.Column('min_ram', sa.Integer(), nullable=False),
    sa.Column('disk_format', sa.String(length=20), nullable=True),
    sa.Column('container_format', sa.String(length=20), nullable=True),
    sa.Column('checksum', sa.String(length=32), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.Column('deleted_at', DateTime, nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_images'))
    )
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.create_index('ix_images_deleted_created_at', ['deleted', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_images_owner', ['owner'], unique=False)

    op.create_table('instance_actions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=255), nullable=False),
    sa.Column('request_id', sa.String(length=255), nullable=True),
    sa.Column('user_id', sa.String(length=255), nullable=True),
    sa.Column('project_id', sa.String(length=255), nullable=True),
    sa.Column('start_time', DateTime, nullable=False),
    sa.Column('finish_time', DateTime, nullable=True),
    sa.Column('message', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_actions'))
    )
    with op.batch_alter_table('instance_actions', schema=None) as batch_op:
        batch_op.create_index('ix_instance_actions_instance_uuid', ['instance_uuid', 'start_time'], unique=False)

    op.create_table('migrations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('migration_type', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=255), nullable=False),
    sa.Column('source_compute', sa.String(length=255), nullable=True),
    sa.Column('dest_compute', sa.String(length=255), nullable=True),
    sa.Column('source_node', sa.String(length=255), nullable=True),
    sa.Column('dest_node', sa.String(length=255), nullable=True),
    sa.Column('dest_host', sa.String(length=255), nullable=True),
    sa.Column('old_instance_type_id', sa.Integer(), nullable=True),
    sa.Column('new_instance_type_id', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_migrations'))
    )
    with op.batch_alter_table('migrations', schema=None) as batch_op:
        batch_op.create_index('ix_migrations_instance_uuid', ['instance_uuid', 'id'], unique=False)

    op.create_table('instances',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('project_id', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=255), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=True),
    sa.Column('display_description', sa.String(length=255), nullable=True),
    sa.Column('hostname', sa.String(length=255), nullable=True),
    sa.Column('image_ref', sa.String(length=255), nullable=True),
    sa.Column('flavor_id', sa.String(length=255), nullable=False),
    sa.Column('memory_mb', sa.Integer(), nullable=False),
    sa.Column('vcpus', sa.Integer(), nullable=False),
    sa.Column('root_gb', sa.Integer(), nullable=False),
    sa.Column('ephemeral_gb', sa.Integer(), nullable=False),
    sa.Column('swap', sa.Integer(), nullable=False),
    sa.Column('old_flavor', sa.Text(), nullable=True),
    sa.Column('new_flavor', sa.Text(), nullable=True),
    sa.Column('vm_state', sa.String(length=255), nullable=False),
    sa.Column('task_state', sa.String(length=255), nullable=True),
    sa.Column('power_state', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.Column('node', sa.String(length=255), nullable=True),
    sa.Column('availability_zone', sa.String(length=255), nullable=True),
    sa.Column('access_ip_v4', sa.String(length=39), nullable=True),
    sa.Column('access_ip_v6', sa.String(length=39), nullable=True),
    sa.Column('key_name', sa.String(length=255), nullable=True),
    sa.Column('key_data', sa.Text(), nullable=True),
    sa.Column('user_data', LongText, nullable=True),
    sa.Column('config_drive', sa.String(length=255), nullable=False),
    sa.Column('auto_disk_config', sa.Boolean(), nullable=False),
    sa.Column('reservation_id', sa.String(length=255), nullable=True),
    sa.Column('launch_index', sa.Integer(), nullable=False),
    sa.Column('security_groups', sa.Text(), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('locked_by', sa.String(length=10), nullable=True),
    sa.Column('launched_at', DateTime, nullable=True),
    sa.Column('terminated_at', DateTime, nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.Column('deleted_at', DateTime, nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instances')),
    sa.UniqueConstraint('uuid', name=op.f('uq_instances_uuid'))
    )
    with op.batch_alter_table('instances', schema=None) as batch_op:
        batch_op.create_index('ix_instances_deleted_created', ['deleted', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_instances_project_deleted_created', ['project_id', 'deleted', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_instances_project_updated', ['project_id', 'updated_at'], unique=False)
        batch_op.create_index('ix_instances_reservation_id', ['reservation_id'], unique=False)
        batch_op.create_index('ix_instances_task_state', ['task_state'], unique=False)

    op.create_table('key_pairs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=255), nullable=True),
    sa.Column('public_key', sa.Text(), nullable=True),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_pairs')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_key_pairs_user_id_name'))
    )
    op.create_table('quota_classes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('class_name', sa.String(length=255), nullable=False),
    sa.Column('resource', sa.String(length=255), nullable=False),
    sa.Column('hard_limit', sa.Integer(), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_classes')),
    sa.UniqueConstraint('class_name', 'resource', name=op.f('uq_quota_classes_class_name_resource'))
    )
    op.create_table('address_pools',
    sa.Column('network_label', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('lowest_free', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('network_label', 'version', name=op.f('pk_address_pools'))
    )
    op.create_table('quota_locks',
    sa.Column('project_id', sa.String(length=255), nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_quota_locks'))
    )
    op.create_table('quotas',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('project_id', sa.String(length=255), nullable=False),
    sa.Column('resource', sa.String(length=255), nullable=False),
    sa.Column('hard_limit', sa.Integer(), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotas')),
    sa.UniqueConstraint('project_id', 'resource', name=op.f('uq_quotas_project_id_resource'))
    )
    op.create_table('security_groups',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('project_id', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_groups')),
    sa.UniqueConstraint('project_id', 'name', name=op.f('uq_security_groups_project_id_name'))
    )
    op.create_table('block_device_mappings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('source_type', sa.String(length=255), nullable=True),
    sa.Column('destination_type', sa.String(length=255), nullable=True),
    sa.Column('boot_index', sa.Integer(), nullable=True),
    sa.Column('uuid', sa.String(length=255), nullable=True),
    sa.Column('volume_id', sa.String(length=255), nullable=True),
    sa.Column('volume_size', sa.Integer(), nullable=True),
    sa.Column('device_name', sa.String(length=255), nullable=True),
    sa.Column('device_type', sa.String(length=255), nullable=True),
    sa.Column('disk_bus', sa.String(length=255), nullable=True),
    sa.Column('guest_format', sa.String(length=255), nullable=True),
    sa.Column('delete_on_termination', sa.Boolean(), nullable=False),
    sa.Column('no_device', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'], name=op.f('fk_block_device_mappings_instance_uuid_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_block_device_mappings'))
    )
    with op.batch_alter_table('block_device_mappings', schema=None) as batch_op:
        batch_op.create_index('ix_block_device_mappings_instance_uuid', ['instance_uuid'], unique=False)

    op.create_table('flavor_extra_specs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('flavor_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['flavor_id'], ['flavors.id'], name=op.f('fk_flavor_extra_specs_flavor_id_flavors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flavor_extra_specs')),
    sa.UniqueConstraint('flavor_id', 'key', name=op.f('uq_flavor_extra_specs_flavor_id_key'))
    )
    op.create_table('flavor_projects',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('flavor_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['flavor_id'], ['flavors.id'], name=op.f('fk_flavor_projects_flavor_id_flavors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flavor_projects')),
    sa.UniqueConstraint('flavor_id', 'project_id', name=op.f('uq_flavor_projects_flavor_id_project_id'))
    )
    op.create_table('image_properties',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('image_id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_image_properties_image_id_images'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_properties')),
    sa.UniqueConstraint('image_id', 'key', name=op.f('uq_image_properties_image_id_key'))
    )
    op.create_table('instance_addresses',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('network_label', sa.String(length=255), nullable=False),
    sa.Column('address', sa.String(length=39), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('mac_address', sa.String(length=17), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('host_index', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'], name=op.f('fk_instance_addresses_instance_uuid_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_addresses')),
    sa.UniqueConstraint('network_label', 'address', name=op.f('uq_instance_addresses_network_label_address')),
    sa.UniqueConstraint('network_label', 'version', 'host_index', name=op.f('uq_instance_addresses_network_label_version_host_index'))
    )
    with op.batch_alter_table('instance_addresses', schema=None) as batch_op:
        batch_op.create_index('ix_instance_addresses_instance_uuid', ['instance_uuid'], unique=False)

    op.create_table('instance_faults',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('code', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=255), nullable=True),
    sa.Column('details', LongText, nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'], name=op.f('fk_instance_faults_instance_uuid_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_faults'))
    )
    with op.batch_alter_table('instance_faults', schema=None) as batch_op:
        batch_op.create_index('ix_instance_faults_instance_uuid', ['instance_uuid', 'created_at'], unique=False)

    op.create_table('instance_metadata',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'], name=op.f('fk_instance_metadata_instance_uuid_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_metadata')),
    sa.UniqueConstraint('instance_uuid', 'key', name=op.f('uq_instance_metadata_instance_uuid_key'))
    )
    op.create_table('security_group_rules',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('parent_group_id', sa.Integer(), nullable=False),
    sa.Column('protocol', sa.String(length=255), nullable=True),
    sa.Column('from_port', sa.Integer(), nullable=True),
    sa.Column('to_port', sa.Integer(), nullable=True),
    sa.Column('cidr', sa.String(length=43), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['security_groups.id'], name=op.f('fk_security_group_rules_group_id_security_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_group_id'], ['security_groups.id'], name=op.f('fk_security_group_rules_parent_group_id_security_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_group_rules'))
    )
    with op.batch_alter_table('security_group_rules', schema=None) as batch_op:
        batch_op.create_index('ix_security_group_rules_parent_group_id', ['parent_group_id'], unique=False)
    op.create_table('server_groups',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('project_id', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=255), nullable=False),
    sa.Column('policy', sa.String(length=255), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server_groups')),
    sa.UniqueConstraint('uuid', name=op.f('uq_server_groups_uuid'))
    )
    with op.batch_alter_table('server_groups', schema=None) as batch_op:
        batch_op.create_index('ix_server_groups_project_id', ['project_id'], unique=False)
    op.create_table('server_group_members',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('instance_uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['server_groups.id'], name=op.f('fk_server_group_members_group_id_server_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'], name=op.f('fk_server_group_members_instance_uuid_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server_group_members')),
    sa.UniqueConstraint('group_id', 'instance_uuid', name=op.f('uq_server_group_members_group_id_instance_uuid'))
    )
    with op.batch_alter_table('server_group_members', schema=None) as batch_op:
        batch_op.create_index('ix_server_group_members_instance_uuid', ['instance_uuid'], unique=False)
    op.create_table('aggregates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregates')),
    sa.UniqueConstraint('name', name=op.f('uq_aggregates_name'))
    )
    op.create_table('aggregate_hosts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('aggregate_id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['aggregate_id'], ['aggregates.id'], name=op.f('fk_aggregate_hosts_aggregate_id_aggregates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregate_hosts')),
    sa.UniqueConstraint('aggregate_id', 'host', name=op.f('uq_aggregate_hosts_aggregate_id_host'))
    )
    op.create_table('aggregate_metadata',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('aggregate_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['aggregate_id'], ['aggregates.id'], name=op.f('fk_aggregate_metadata_aggregate_id_aggregates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregate_metadata')),
    sa.UniqueConstraint('aggregate_id', 'key', name=op.f('uq_aggregate_metadata_aggregate_id_key'))
    )


    _seed()


def _seed():
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    flavors = sa.table('flavors', *(sa.column(c) for c in (
        'flavorid', 'name', 'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'swap', 'rxtx_factor',
        'disabled', 'is_public', 'created_at')))
    op.bulk_insert(flavors, [
        {'flavorid': fid, 'name': name, 'memory_mb': ram, 'vcpus': vcpus, 'root_gb': disk,
         'ephemeral_gb': 0, 'swap': 0, 'rxtx_factor': 1.0, 'disabled': False, 'is_public': True,
         'created_at': now}
        for fid, name, ram, vcpus, disk in DEFAULT_FLAVORS])
    images = sa.table('images', *(sa.column(c) for c in (
        'id', 'name', 'status', 'is_public', 'size', 'min_disk', 'min_ram', 'disk_format',
        'container_format', 'created_at', 'updated_at', 'deleted')))
    op.bulk_insert(images, [
        {'id': image_id, 'name': name, 'status': 'active', 'is_public': True, 'size': 21430272,
         'min_disk': 0, 'min_ram': 0, 'disk_format': 'qcow2', 'container_format': 'bare',
         'created_at': now, 'updated_at': now, 'deleted': False}
        for image_id, name in DEFAULT_IMAGES])

def downgrade():
    # Everything this revision created, children before parents (the metadata orders them by
    # foreign key); dropping a table drops its indexes, which MariaDB refuses to do one by one
    # while a foreign key needs them.
    bind = op.get_bind()
    existing = sa.MetaData()
    existing.reflect(bind=bind)
    existing.drop_all(bind=bind, tables=[table for table in existing.sorted_tables
                                         if table.name != 'alembic_version'])
