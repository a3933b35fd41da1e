"""notifications stored as kind + params, follows (issue 14, helper N)

Revision ID: a14000000002
Revises: a14000000001
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000002'
down_revision = 'a14000000001'
branch_labels = None
depends_on = None


def upgrade():
    # Notifications become kind + params, worded when shown; `text` stays as the fallback of old rows.
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    # The language a person last chose, for notifications pushed live.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
    op.create_table(
        'follows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('target_kind', sa.String(length=16), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("target_kind IN ('document', 'department', 'question', 'customer')",
                           name='ck_follows_target_kind'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'target_kind', 'target_id', name='uq_follows_user_target'),
    )
    op.create_index('ix_follows_target', 'follows', ['target_kind', 'target_id'], unique=False)


def downgrade():
    op.drop_index('ix_follows_target', table_name='follows')
    op.drop_table('follows')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('params')
