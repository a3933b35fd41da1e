"""PostgreSQL search backend tables (issue 16): search_entries and search_meta, on PostgreSQL only

The tables belong to hub/search/pg_models.py (their own MetaData, not the app's models): on SQLite
this migration does nothing, and the Whoosh backend never reads them.

Revision ID: a16000000001
Revises: a14000000004
Create Date: 2026-12-02 12:50:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'a16000000001'
down_revision = 'a14000000004'
branch_labels = None
depends_on = None


def _postgres() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgres():
        return
    op.create_table('search_entries',
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('parent', sa.Text(), server_default='', nullable=False),
    sa.Column('scope', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('terms', postgresql.TSVECTOR(), nullable=False),
    sa.Column('title', sa.Text(), server_default='', nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('dept', sa.Integer(), nullable=True),
    sa.Column('category', sa.Text(), server_default='', nullable=False),
    sa.Column('file_type', sa.Text(), server_default='', nullable=False),
    sa.Column('rating', sa.Integer(), server_default='0', nullable=False),
    sa.Column('date', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('suggest', postgresql.TSVECTOR(), nullable=False),
    sa.Column('digest', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_index('ix_search_entries_scope', 'search_entries', ['scope'], postgresql_using='gin')
    op.create_index('ix_search_entries_terms', 'search_entries', ['terms'], postgresql_using='gin')
    op.create_index('ix_search_entries_suggest', 'search_entries', ['suggest'], postgresql_using='gin')
    op.create_index('ix_search_entries_parent', 'search_entries', ['parent'])
    op.create_table('search_meta',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade():
    if not _postgres():
        return
    op.drop_table('search_meta')
    op.drop_index('ix_search_entries_parent', table_name='search_entries')
    op.drop_index('ix_search_entries_suggest', table_name='search_entries')
    op.drop_index('ix_search_entries_terms', table_name='search_entries')
    op.drop_index('ix_search_entries_scope', table_name='search_entries')
    op.drop_table('search_entries')
