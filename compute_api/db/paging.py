"""Keyset pagination shared by every collection query."""
import sqlalchemy as sa


def after_marker(sort_columns, marker_values):
    """A WHERE clause selecting rows strictly after the marker row in the given order.

    sort_columns: [(column, 'asc'|'desc')] ending with a unique column; marker_values: the
    marker row's values for those columns, in the same order.
    """
    clauses = []
    for i, (column, direction) in enumerate(sort_columns):
        value = marker_values[i]
        equal_before = [col == marker_values[j] for j, (col, _d) in enumerate(sort_columns[:i])]
        if value is None:
            # NULLs sort first ascending (as we order them); nothing is "after" NULL descending except non-NULL.
            beyond = column.isnot(None) if direction == 'asc' else sa.false()
        elif direction == 'asc':
            beyond = column > value
        else:
            beyond = sa.or_(column < value, column.is_(None))
        clauses.append(sa.and_(*equal_before, beyond))
    return sa.or_(*clauses)


def order_by(sort_columns):
    """ORDER BY with NULLs first ascending / last descending on every backend."""
    result = []
    for column, direction in sort_columns:
        if direction == 'asc':
            result.extend([column.isnot(None), column])
        else:
            result.extend([column.is_(None), column.desc()])
    return result
