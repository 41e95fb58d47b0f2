"""A server's security groups as rows of instance_security_groups (group ids) instead of a JSON
list of names in instances.security_groups, so that adding, removing and "is this group in use"
are exact under concurrency. A server naming "default" in a project that has no default group yet
gets one (nova makes it on first use); a name that matches no group named nothing and is dropped.

Revision ID: 0003
Revises: 0002
"""
import datetime
import json

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

instances = sa.table('instances', sa.column('uuid'), sa.column('project_id'), sa.column('user_id'),
                     sa.column('security_groups'))
# A Table (not a lightweight table) for the primary key an insert returns.
groups = sa.Table('security_groups', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),
                  sa.Column('name', sa.String), sa.Column('description', sa.String), sa.Column('project_id', sa.String),
                  sa.Column('user_id', sa.String), sa.Column('created_at', sa.DateTime))
members = sa.table('instance_security_groups', sa.column('id'), sa.column('instance_uuid'),
                   sa.column('security_group_id'))


def upgrade():
    op.create_table(
        'instance_security_groups',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('instance_uuid', sa.String(length=36), nullable=False),
        sa.Column('security_group_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'],
                                name=op.f('fk_instance_security_groups_instance_uuid_instances'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['security_group_id'], ['security_groups.id'],
                                name=op.f('fk_instance_security_groups_security_group_id_security_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_security_groups')),
        sa.UniqueConstraint('instance_uuid', 'security_group_id',
                            name=op.f('uq_instance_security_groups_instance_uuid_security_group_id')))
    op.create_index('ix_instance_security_groups_security_group_id', 'instance_security_groups',
                    ['security_group_id'], unique=False)
    _copy_names_to_rows(op.get_bind())
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 has it): rebuilding instances on SQLite
    # would drop the table that instance_metadata and the others reference.
    op.drop_column('instances', 'security_groups')


def _copy_names_to_rows(bind):
    ids = {(project, name): group_id for group_id, project, name in
           bind.execute(sa.select(groups.c.id, groups.c.project_id, groups.c.name))}
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    rows = []
    for uuid, project, user, names in bind.execute(
            sa.select(instances.c.uuid, instances.c.project_id, instances.c.user_id, instances.c.security_groups)
            .where(instances.c.security_groups.isnot(None))):
        for name in dict.fromkeys(json.loads(names) or []):
            if (project, name) not in ids and name == 'default':
                ids[project, name] = bind.execute(groups.insert().values(
                    name=name, description=name, project_id=project, user_id=user, created_at=now)
                ).inserted_primary_key[0]
            if (project, name) in ids:
                rows.append({'instance_uuid': uuid, 'security_group_id': ids[project, name]})
    if rows:
        bind.execute(members.insert(), rows)


def downgrade():
    op.add_column('instances', sa.Column('security_groups', sa.Text(), nullable=True))
    bind = op.get_bind()
    names = {}
    for uuid, name in bind.execute(sa.select(members.c.instance_uuid, groups.c.name)
                                   .select_from(members.join(groups, groups.c.id == members.c.security_group_id))
                                   .order_by(members.c.id)):
        names.setdefault(uuid, []).append(name)
    for uuid, listed in names.items():
        bind.execute(instances.update().where(instances.c.uuid == uuid).values(security_groups=json.dumps(listed)))
    # Dropping the table drops its index (which MariaDB refuses alone: a foreign key needs it).
    op.drop_table('instance_security_groups')
