"""Browsing the catalog: the facet summary kept by triggers always agrees with counting
the packages themselves, whatever was written to the catalog and in whatever order."""

import sqlite3

from hypothesis import given, settings, strategies as st

from archivekit.collection import browse
from archivekit.collection.catalog import CatalogIndex

PUBLISHERS = st.sampled_from([None, "", "Reuters", "The Guardian", "Le Monde"])
PUBLISHED = st.sampled_from([None, "", "2001-03-04", "2001-12-31", "1999-01-01", "2024"])
OUTCOMES = st.sampled_from([None, "success", "failure"])
STATES = st.sampled_from(["current", "superseded", "withdrawn"])
IDS = st.integers(0, 7).map(lambda n: f"p{n}")

# The ways the catalog writes: an upsert when a package is (re)indexed, an audit's
# outcome, a change of state (amended, withdrawn), and a row removed.
WRITES = st.one_of(
    st.tuples(st.just("upsert"), IDS, PUBLISHERS, PUBLISHED),
    st.tuples(st.just("audit"), IDS, OUTCOMES),
    st.tuples(st.just("state"), IDS, STATES),
    st.tuples(st.just("delete"), IDS),
)
FILTERS = st.builds(browse.Selection, publisher=st.sampled_from([None, "Reuters", "Le Monde"]),
                    year=st.sampled_from([None, "2001", "1999"]),
                    audit=st.sampled_from([None, "success", "never audited"]),
                    withdrawn=st.booleans())


def apply(db: sqlite3.Connection, write: tuple) -> None:
    kind, package_id, *values = write
    with db:
        if kind == "upsert":
            db.execute("INSERT INTO packages (id, path, publisher, published, sources) "
                       "VALUES (?, ?, ?, ?, '[]') ON CONFLICT(id) DO UPDATE SET "
                       "publisher = excluded.publisher, published = excluded.published",
                       (package_id, f"packages/{package_id}", *values))
        elif kind == "audit":
            db.execute("UPDATE packages SET last_outcome = ? WHERE id = ?", (*values, package_id))
        elif kind == "state":
            db.execute("UPDATE packages SET state = ? WHERE id = ?", (*values, package_id))
        else:
            db.execute("DELETE FROM packages WHERE id = ?", (package_id,))


@settings(max_examples=60, deadline=None)
@given(before=st.lists(WRITES, max_size=12), after=st.lists(WRITES, max_size=25),
       filters=st.lists(FILTERS, min_size=1, max_size=4))
def test_the_facet_summary_agrees_with_counting_every_package(tmp_path_factory, before, after,
                                                              filters):
    index = CatalogIndex(tmp_path_factory.mktemp("catalog") / "catalog.sqlite")
    db = index.db
    for write in before:       # rows already there when the reading room first opens
        apply(db, write)
    browse.ensure_summary(db)
    for write in after:        # and rows written since, by runs, audits, amendments
        apply(db, write)
    for chosen in filters:
        counted = browse._count_facets(db, chosen, limit=12)
        assert browse.facet_counts(db, chosen) == counted
    index.close()


def test_a_summary_missing_a_trigger_is_made_again_from_the_packages(tmp_path):
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    db = index.db
    apply(db, ("upsert", "p1", "Reuters", "2001-03-04"))
    assert browse.facet_counts(db, browse.Selection())["publisher"] == [("Reuters", 1)]
    with db:   # e.g. a tool that copied the table without its triggers
        db.execute("DROP TRIGGER facet_summary_insert")
    apply(db, ("upsert", "p2", "Le Monde", "1999-01-01"))
    assert browse.facet_counts(db, browse.Selection())["publisher"] == [("Le Monde", 1),
                                                                       ("Reuters", 1)]
    index.close()


def test_a_page_of_the_reading_room_reads_the_newest_in_order_whatever_the_run_indexed(tmp_path):
    # The run's indexes (CatalogIndex) beside browsing's: an index on every package's
    # state made SQLite sort the whole catalog for each page (0.3 s at 100,000).
    made = CatalogIndex(tmp_path / "catalog.sqlite")
    made.db.execute("CREATE INDEX packages_state ON packages(state)")   # as 32b4204 made it
    made.close()
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    browse.ensure_indexes(index.db)
    where, values = browse.Selection().where()
    plan = " / ".join(step[3] for step in index.db.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM packages{where} ORDER BY created DESC, id DESC "
        "LIMIT 26", values))
    assert "packages_newest" in plan and "TEMP B-TREE" not in plan, plan
    index.close()
