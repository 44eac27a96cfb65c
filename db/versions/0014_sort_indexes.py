"""indexes in the one sort order: partnerships, assessments by title, actors by name

Revision ID: 0014_sort_indexes
Revises: 0013_assessment_classification
Create Date: 2026-12-07 20:30:00

The window's default lists are ordered by ``persistence.collation.sort_key`` (German
dictionary order) and then by id. Without an index the database computes the key
of every row and sorts on each request (634 ms at 50,000 partnerships); with one it
reads the index in order. The index expression is the ORDER BY expression verbatim
(a planner only uses an index whose expression matches): on SQLite the
deterministic function ``cd_sort`` the app gives every connection, on PostgreSQL
the IMMUTABLE expression of ``collation.sort_key``. The SQL is written out here,
frozen; ``tests/unit/test_sort_order.py`` checks that the lists' queries use the
indexes on both engines, so a changed rule without a new migration fails there.
Self-contained: nothing but these three indexes; downgrade drops them.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0014_sort_indexes'
down_revision: Union[str, Sequence[str], None] = '0013_assessment_classification'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (index, table, column)
INDEXES = (
    ('ix_partnership_title_sort', 'partnership', 'title'),
    ('ix_actor_name_de_sort', 'actor', 'name_de'),
    ('ix_assessment_title_sort', 'assessment', 'title'),
)
_ACCENTED = 'ÄÖÜäöüÀÁÂÃÅÈÉÊËÌÍÎÏÒÓÔÕÙÚÛÝÇÑàáâãåèéêëìíîïòóôõùúûýÿçñ'
_BASE = 'aouaouaaaaaeeeeiiiioooouuuycnaaaaaeeeeiiiioooouuuyycn'


def _key(column: str, dialect: str) -> str:
    if dialect == 'sqlite':
        return f'cd_sort({column})'
    return f"lower(replace(translate({column}, '{_ACCENTED}', '{_BASE}'), 'ß', 'ss')) COLLATE \"C\""


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == 'sqlite':
        # Whoever runs the migration (the app, the alembic command, the schema check
        # in memory): SQLite needs the function to build the index.
        from chinadialog_desktop.persistence.sqlite_files import add_functions

        add_functions(bind.connection.dbapi_connection)
    for name, table, column in INDEXES:
        op.execute(f'CREATE INDEX {name} ON {table} ({_key(column, dialect)}, id)')


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
