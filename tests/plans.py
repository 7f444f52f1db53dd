"""PostgreSQL plans read in tests: what a query reads, and through which index."""

from django.db import connection


def plan_of(sql, params, tables, reglages=()):
    """The plan's root node (a dict of EXPLAIN's JSON) of `sql`, after the statistics of
    `tables` are read again and with `reglages` (SET LOCAL …) applied."""
    with connection.cursor() as cursor:
        # The statistics of the rows the test wrote, not of what earlier tests left.
        cursor.execute(f"ANALYZE {', '.join(tables)}")
        # A table this small would be read whole: the planner is told not to.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for reglage in reglages:
            cursor.execute(reglage)
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    return plan["Plan"]


def noeuds(noeud, chemin=()):
    """Each node of the plan from the top down, with the nodes above it."""
    yield noeud, chemin
    for enfant in noeud.get("Plans", []):
        yield from noeuds(enfant, (*chemin, noeud))
