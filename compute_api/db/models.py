"""The schema, as SQLAlchemy Core tables. compute_api/migrations/ creates it; a test keeps the two in step.

Times are naive UTC with microseconds (MySQL needs DATETIME(6) for that). Servers are soft-deleted
(deleted flag + deleted_at) so changes-since can report them as DELETED.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

metadata = sa.MetaData(naming_convention={
    'ix': 'ix_%(table_name)s_%(column_0_N_name)s',
    'uq': 'uq_%(table_name)s_%(column_0_N_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
})

DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')
UUID = sa.String(36)
# Long free text; MySQL's TEXT (64 KiB) is too small for user_data and tracebacks.
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb')

flavors = sa.Table(
    'flavors', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('flavorid', sa.String(255), nullable=False),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('memory_mb', sa.Integer, nullable=False),
    sa.Column('vcpus', sa.Integer, nullable=False),
    sa.Column('root_gb', sa.Integer, nullable=False),
    sa.Column('ephemeral_gb', sa.Integer, nullable=False, default=0),
    sa.Column('swap', sa.Integer, nullable=False, default=0),
    sa.Column('rxtx_factor', sa.Float, nullable=False, default=1.0),
    sa.Column('vcpu_weight', sa.Integer, nullable=True),
    sa.Column('disabled', sa.Boolean, nullable=False, default=False),
    sa.Column('is_public', sa.Boolean, nullable=False, default=True),
    sa.Column('description', sa.Text, nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('flavorid'),
    sa.UniqueConstraint('name'),
)

flavor_extra_specs = sa.Table(
    'flavor_extra_specs', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('flavor_id', sa.Integer, sa.ForeignKey('flavors.id', ondelete='CASCADE'), nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255), nullable=True),
    sa.UniqueConstraint('flavor_id', 'key'),
)

flavor_projects = sa.Table(
    'flavor_projects', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('flavor_id', sa.Integer, sa.ForeignKey('flavors.id', ondelete='CASCADE'), nullable=False),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.UniqueConstraint('flavor_id', 'project_id'),
)

images = sa.Table(
    'images', metadata,
    sa.Column('id', UUID, primary_key=True),
    sa.Column('name', sa.String(255), nullable=True),
    # glance's statuses: queued, saving, active, killed, deleted, pending_delete
    sa.Column('status', sa.String(30), nullable=False),
    sa.Column('is_public', sa.Boolean, nullable=False, default=False),
    sa.Column('owner', sa.String(255), nullable=True),
    sa.Column('size', sa.BigInteger, nullable=True),
    sa.Column('min_disk', sa.Integer, nullable=False, default=0),
    sa.Column('min_ram', sa.Integer, nullable=False, default=0),
    sa.Column('disk_format', sa.String(20), nullable=True),
    sa.Column('container_format', sa.String(20), nullable=True),
    sa.Column('checksum', sa.String(32), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.Column('deleted_at', DateTime, nullable=True),
    sa.Column('deleted', sa.Boolean, nullable=False, default=False),
    sa.Index('ix_images_deleted_created_at', 'deleted', 'created_at', 'id'),
    sa.Index('ix_images_owner', 'owner'),
)

image_properties = sa.Table(
    'image_properties', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('image_id', UUID, sa.ForeignKey('images.id', ondelete='CASCADE'), nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.Text, nullable=True),
    sa.UniqueConstraint('image_id', 'key'),
)

instances = sa.Table(
    'instances', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('uuid', UUID, nullable=False),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=False),
    sa.Column('display_name', sa.String(255), nullable=True),
    sa.Column('display_description', sa.String(255), nullable=True),
    sa.Column('hostname', sa.String(255), nullable=True),
    sa.Column('image_ref', sa.String(255), nullable=True),
    # The flavor as it was at boot (flavors may be deleted later); new_/old_flavor hold a resize's.
    sa.Column('flavor_id', sa.String(255), nullable=False),
    sa.Column('memory_mb', sa.Integer, nullable=False),
    sa.Column('vcpus', sa.Integer, nullable=False),
    sa.Column('root_gb', sa.Integer, nullable=False),
    sa.Column('ephemeral_gb', sa.Integer, nullable=False),
    sa.Column('swap', sa.Integer, nullable=False),
    sa.Column('old_flavor', sa.Text, nullable=True),
    sa.Column('new_flavor', sa.Text, nullable=True),
    sa.Column('vm_state', sa.String(255), nullable=False),
    sa.Column('task_state', sa.String(255), nullable=True),
    sa.Column('power_state', sa.Integer, nullable=False, default=0),
    sa.Column('progress', sa.Integer, nullable=False, default=0),
    sa.Column('host', sa.String(255), nullable=True),
    sa.Column('node', sa.String(255), nullable=True),
    sa.Column('availability_zone', sa.String(255), nullable=True),
    sa.Column('access_ip_v4', sa.String(39), nullable=True),
    sa.Column('access_ip_v6', sa.String(39), nullable=True),
    sa.Column('key_name', sa.String(255), nullable=True),
    sa.Column('key_data', sa.Text, nullable=True),
    sa.Column('user_data', LongText, nullable=True),
    sa.Column('config_drive', sa.String(255), nullable=False, default=''),
    sa.Column('auto_disk_config', sa.Boolean, nullable=False, default=False),
    sa.Column('reservation_id', sa.String(255), nullable=True),
    sa.Column('launch_index', sa.Integer, nullable=False, default=0),
    sa.Column('locked', sa.Boolean, nullable=False, default=False),
    sa.Column('locked_by', sa.String(10), nullable=True),  # owner | admin
    # The snapshot a shelve took (nova's system_metadata shelved_image_id): what unshelve boots.
    sa.Column('shelved_image_id', UUID, nullable=True),
    sa.Column('launched_at', DateTime, nullable=True),
    sa.Column('terminated_at', DateTime, nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.Column('deleted_at', DateTime, nullable=True),
    sa.Column('deleted', sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint('uuid'),
    # A page of a project's servers is an index range scan, whatever the table size.
    sa.Index('ix_instances_project_deleted_created', 'project_id', 'deleted', 'created_at', 'id'),
    sa.Index('ix_instances_deleted_created', 'deleted', 'created_at', 'id'),
    sa.Index('ix_instances_project_updated', 'project_id', 'updated_at'),
    sa.Index('ix_instances_reservation_id', 'reservation_id'),
    sa.Index('ix_instances_task_state', 'task_state'),
)

instance_metadata = sa.Table(
    'instance_metadata', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255), nullable=True),
    sa.UniqueConstraint('instance_uuid', 'key'),
)

instance_faults = sa.Table(
    'instance_faults', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.Column('code', sa.Integer, nullable=False),
    sa.Column('message', sa.String(255), nullable=True),
    sa.Column('details', LongText, nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Index('ix_instance_faults_instance_uuid', 'instance_uuid', 'created_at'),
)

# Addresses handed out by the built-in allocator: one row per (server, network, address).
instance_addresses = sa.Table(
    'instance_addresses', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.Column('network_label', sa.String(255), nullable=False),
    sa.Column('address', sa.String(39), nullable=False),
    sa.Column('version', sa.Integer, nullable=False),
    sa.Column('type', sa.String(10), nullable=False, default='fixed'),
    sa.Column('mac_address', sa.String(17), nullable=False),
    sa.Column('position', sa.Integer, nullable=False, default=0),
    # The address's offset from its network's first assignable address (NULL for an IPv6 fixed
    # IP too far up for 63 bits): the allocator finds the lowest free address by it.
    sa.Column('host_index', sa.BigInteger, nullable=True),
    sa.UniqueConstraint('network_label', 'address'),
    sa.UniqueConstraint('network_label', 'version', 'host_index'),
    sa.Index('ix_instance_addresses_instance_uuid', 'instance_uuid'),
)

# One row per (network, IP version) the allocator has handed addresses from: every host index
# below lowest_free is in use. Its row lock serializes the allocations in one network.
address_pools = sa.Table(
    'address_pools', metadata,
    sa.Column('network_label', sa.String(255), primary_key=True),
    sa.Column('version', sa.Integer, primary_key=True, autoincrement=False),
    sa.Column('lowest_free', sa.BigInteger, nullable=False),
)

block_device_mappings = sa.Table(
    'block_device_mappings', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.Column('source_type', sa.String(255), nullable=True),
    sa.Column('destination_type', sa.String(255), nullable=True),
    sa.Column('boot_index', sa.Integer, nullable=True),
    sa.Column('uuid', sa.String(255), nullable=True),
    sa.Column('volume_id', sa.String(255), nullable=True),
    sa.Column('volume_size', sa.Integer, nullable=True),
    sa.Column('device_name', sa.String(255), nullable=True),
    sa.Column('device_type', sa.String(255), nullable=True),
    sa.Column('disk_bus', sa.String(255), nullable=True),
    sa.Column('guest_format', sa.String(255), nullable=True),
    sa.Column('delete_on_termination', sa.Boolean, nullable=False, default=False),
    sa.Column('no_device', sa.Boolean, nullable=False, default=False),
    sa.Index('ix_block_device_mappings_instance_uuid', 'instance_uuid'),
)

instance_actions = sa.Table(
    'instance_actions', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, nullable=False),
    sa.Column('action', sa.String(255), nullable=False),
    sa.Column('request_id', sa.String(255), nullable=True),
    sa.Column('user_id', sa.String(255), nullable=True),
    sa.Column('project_id', sa.String(255), nullable=True),
    sa.Column('start_time', DateTime, nullable=False),
    sa.Column('finish_time', DateTime, nullable=True),
    sa.Column('message', sa.String(255), nullable=True),
    sa.Index('ix_instance_actions_instance_uuid', 'instance_uuid', 'start_time'),
)

# A server's moves between flavors or hosts (nova's migrations; here resizes), for os-migrations.
migrations = sa.Table(
    'migrations', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, nullable=False),
    sa.Column('migration_type', sa.String(32), nullable=False),
    sa.Column('status', sa.String(255), nullable=False),
    sa.Column('source_compute', sa.String(255), nullable=True),
    sa.Column('dest_compute', sa.String(255), nullable=True),
    sa.Column('source_node', sa.String(255), nullable=True),
    sa.Column('dest_node', sa.String(255), nullable=True),
    sa.Column('dest_host', sa.String(255), nullable=True),
    sa.Column('old_instance_type_id', sa.Integer, nullable=True),
    sa.Column('new_instance_type_id', sa.Integer, nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.Index('ix_migrations_instance_uuid', 'instance_uuid', 'id'),
)

quotas = sa.Table(
    'quotas', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('resource', sa.String(255), nullable=False),
    sa.Column('hard_limit', sa.Integer, nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('project_id', 'resource'),
)

quota_classes = sa.Table(
    'quota_classes', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('class_name', sa.String(255), nullable=False),
    sa.Column('resource', sa.String(255), nullable=False),
    sa.Column('hard_limit', sa.Integer, nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('class_name', 'resource'),
)

# One row per project, locked (SELECT ... FOR UPDATE) while a create re-counts its usage, so
# concurrent creates in one project serialise on every backend and can never exceed a quota.
quota_locks = sa.Table(
    'quota_locks', metadata,
    sa.Column('project_id', sa.String(255), primary_key=True),
    sa.Column('updated_at', DateTime, nullable=True),
)

key_pairs = sa.Table(
    'key_pairs', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=False),
    sa.Column('fingerprint', sa.String(255), nullable=True),
    sa.Column('public_key', sa.Text, nullable=True),
    sa.Column('type', sa.String(10), nullable=False, default='ssh'),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('user_id', 'name'),
)

# Server groups (nova's instance groups): one policy each; members are servers of the group's
# project. Deleting a group or purging a server removes the membership rows.
server_groups = sa.Table(
    'server_groups', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('uuid', UUID, nullable=False),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=False),
    sa.Column('policy', sa.String(255), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('uuid'),
    sa.Index('ix_server_groups_project_id', 'project_id'),
)

server_group_members = sa.Table(
    'server_group_members', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('group_id', sa.Integer, sa.ForeignKey('server_groups.id', ondelete='CASCADE'), nullable=False),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.UniqueConstraint('group_id', 'instance_uuid'),
    sa.Index('ix_server_group_members_instance_uuid', 'instance_uuid'),
)

security_groups = sa.Table(
    'security_groups', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('description', sa.String(255), nullable=True),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('project_id', 'name'),
)

# A server's security groups (nova's security_group_instance_association), in the order they were
# given. A group named by a live server is in use and cannot be deleted; deleting a group (only a
# soft-deleted server can still name it) or purging a server removes its rows.
instance_security_groups = sa.Table(
    'instance_security_groups', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.Column('security_group_id', sa.Integer, sa.ForeignKey('security_groups.id', ondelete='CASCADE'),
              nullable=False),
    sa.UniqueConstraint('instance_uuid', 'security_group_id'),
    sa.Index('ix_instance_security_groups_security_group_id', 'security_group_id'),
)

security_group_rules = sa.Table(
    'security_group_rules', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('parent_group_id', sa.Integer, sa.ForeignKey('security_groups.id', ondelete='CASCADE'),
              nullable=False),
    sa.Column('protocol', sa.String(255), nullable=True),
    sa.Column('from_port', sa.Integer, nullable=True),
    sa.Column('to_port', sa.Integer, nullable=True),
    sa.Column('cidr', sa.String(43), nullable=True),
    sa.Column('group_id', sa.Integer, sa.ForeignKey('security_groups.id', ondelete='CASCADE'),
              nullable=True),
    sa.Index('ix_security_group_rules_parent_group_id', 'parent_group_id'),
)

# Host aggregates (nova's os-aggregates): an aggregate's availability zone is its metadata key
# 'availability_zone', as in nova.
aggregates = sa.Table(
    'aggregates', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('updated_at', DateTime, nullable=True),
    sa.UniqueConstraint('name'),
)

aggregate_hosts = sa.Table(
    'aggregate_hosts', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('aggregate_id', sa.Integer, sa.ForeignKey('aggregates.id', ondelete='CASCADE'), nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    sa.UniqueConstraint('aggregate_id', 'host'),
)

aggregate_metadata = sa.Table(
    'aggregate_metadata', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('aggregate_id', sa.Integer, sa.ForeignKey('aggregates.id', ondelete='CASCADE'), nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255), nullable=False),
    sa.UniqueConstraint('aggregate_id', 'key'),
)

# Remote console tokens (nova's console_auth_tokens): only the SHA-256 of a token is kept; the
# token itself exists in the URL handed to the client. Deleted with their server.
console_auth_tokens = sa.Table(
    'console_auth_tokens', metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('token_hash', sa.String(64), nullable=False),
    sa.Column('instance_uuid', UUID, sa.ForeignKey('instances.uuid', ondelete='CASCADE'), nullable=False),
    sa.Column('console_type', sa.String(255), nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    sa.Column('port', sa.Integer, nullable=False),
    sa.Column('internal_access_path', sa.String(255), nullable=True),
    sa.Column('access_url_base', sa.String(255), nullable=True),
    sa.Column('created_at', DateTime, nullable=False),
    sa.Column('expires', DateTime, nullable=False),
    sa.UniqueConstraint('token_hash'),
    sa.Index('ix_console_auth_tokens_instance_uuid', 'instance_uuid'),
)
