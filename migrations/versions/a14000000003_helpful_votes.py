"""helpful votes on answers and comments (issue 14, helper F)

Revision ID: a14000000003
Revises: a14000000002
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14000000003'
down_revision = 'a14000000002'
branch_labels = None
depends_on = None


def upgrade():
    # The composite key is the "one vote per person" rule: concurrent PUTs cannot add a second row.
    op.create_table('answer_helpful',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'user_id')
    )
    with op.batch_alter_table('answer_helpful', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_helpful_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('answer_helpful', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_helpful_user_id'))

    op.drop_table('answer_helpful')
