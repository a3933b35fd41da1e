"""login sessions: one row per sign-in; the per-person session nonce goes

Revision ID: 36218773c979
Revises: 0d817bc803a1
Create Date: 2026-12-01 21:12:57.596051

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '36218773c979'
down_revision = '0d817bc803a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    op.create_index(op.f('ix_login_sessions_user_id'), 'login_sessions', ['user_id'], unique=False)
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35), not a batch copy: rebuilding `users` with
    # foreign keys on would delete or orphan every row that refers to a person. Old cookies stop working,
    # so everyone signs in once more.
    op.drop_column('users', 'session_nonce')


def downgrade():
    op.add_column('users', sa.Column('session_nonce', sa.String(length=32), nullable=False, server_default=''))
    op.drop_index(op.f('ix_login_sessions_user_id'), table_name='login_sessions')
    op.drop_table('login_sessions')
