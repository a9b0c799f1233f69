"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from compliance import create_app
from compliance.extensions import db
from tests.conftest import settings_for


def _diff(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_test_database_is_at_head_and_matches_the_models(app):
    """The session database (SQLite, or PostgreSQL with TEST_DATABASE_URL) came from upgrade()."""
    connection = db.engines[None]
    context = MigrationContext.configure(connection)
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert context.get_current_revision() == script.get_current_head()
    assert _diff(connection) == []


def test_empty_database_upgrades_to_head_and_back(tmp_path):
    app = create_app(settings_for(f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert _diff(connection) == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()


def test_tally_migration_fills_the_tallies_from_existing_visits(tmp_path):
    """0012_tally's data step: an upgraded site's operation reports are right at once."""
    from compliance import tallies
    from tests.visit_factories import OperationFactory, PurchaseFactory, VisitFactory

    app = create_app(settings_for(f"sqlite:///{tmp_path / 'upgraded.sqlite3'}"))
    with app.app_context():
        upgrade()
        operation = OperationFactory(areas=["North"])
        visit = VisitFactory(operation_id=operation.id, area="North")
        PurchaseFactory(visit=visit, premises_id=visit.premises_id, sold=True)
        db.session.commit()
        downgrade(revision="0011_lists")  # the visits stay; the tallies go
        upgrade()
        with db.engine.connect() as connection:
            stored = tallies.stored(connection)
            assert stored == tallies.fresh(connection)
        assert stored[0][(operation.id, "North", tallies.SOLD)] == 1
        db.session.remove()
        db.engine.dispose()
