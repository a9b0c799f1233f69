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


def test_render_job_migration_links_the_certificates_still_waiting_for_their_pdf(tmp_path):
    """0018_render_job's data step: a certificate whose PDF job has not finished gets its job,
    so its pages can say when that job died; one already rendered keeps none."""
    from datetime import timedelta

    from compliance.models import Certificate, JobOutbox
    from compliance.models.base import utcnow
    from tests.factories import RetailerFactory, UserFactory

    app = create_app(settings_for(f"sqlite:///{tmp_path / 'upgraded.sqlite3'}"))
    with app.app_context():
        upgrade()
        staff = UserFactory(retailer=RetailerFactory())
        certs = [Certificate(code=f"KSC-MIGR-0000-000{n}", kind="staff", holder_user_id=staff.id,
                             retailer_id=staff.retailer_id, holder_name=staff.name,
                             business_name="Alpha", expires_at=utcnow() + timedelta(days=365),
                             sha256=sha) for n, sha in ((1, None), (2, "ab" * 32))]
        db.session.add_all(certs)
        db.session.flush()
        dead = JobOutbox(name="certificates.render", payload={"certificate_id": certs[0].id},
                         dead_at=utcnow())
        done = JobOutbox(name="certificates.render", payload={"certificate_id": certs[1].id},
                         finished_at=utcnow())
        mail = JobOutbox(name="certificates.email_holder",
                         payload={"certificate_id": certs[1].id})
        db.session.add_all([dead, done, mail])
        db.session.commit()
        ids = [c.id for c in certs]
        dead_id = dead.id
        db.session.remove()
        downgrade(revision="0017_shop_fu")
        upgrade()
        assert [db.session.get(Certificate, i).render_job_id for i in ids] == [dead_id, None]
        db.session.remove()
        db.engine.dispose()
