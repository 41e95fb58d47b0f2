"""Remote console tokens (nova's console_auth_tokens), stored as their SHA-256.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def upgrade():
    op.create_table(
        'console_auth_tokens',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('instance_uuid', sa.String(length=36), nullable=False),
        sa.Column('console_type', sa.String(length=255), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('port', sa.Integer(), nullable=False),
        sa.Column('internal_access_path', sa.String(length=255), nullable=True),
        sa.Column('access_url_base', sa.String(length=255), nullable=True),
        sa.Column('created_at', DateTime, nullable=False),
        sa.Column('expires', DateTime, nullable=False),
        sa.ForeignKeyConstraint(['instance_uuid'], ['instances.uuid'],
                                name=op.f('fk_console_auth_tokens_instance_uuid_instances'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_auth_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_console_auth_tokens_token_hash')),
    )
    op.create_index('ix_console_auth_tokens_instance_uuid', 'console_auth_tokens', ['instance_uuid'])


def downgrade():
    op.drop_table('console_auth_tokens')
