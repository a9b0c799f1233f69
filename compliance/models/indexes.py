"""Composite and search indexes behind the bounded pages (issue 15), kept in one place.

Each one serves a named page's query (migrations/versions/0009_pages.py creates them). The
trigram (GIN, pg_trgm) and pattern indexes are PostgreSQL's; on SQLite the same names are
plain indexes, since the embedded demo's few hundred rows need nothing more.
"""

from __future__ import annotations

from sqlalchemy import Index, func, text

from compliance.models.assessments import Assessment, Refusal
from compliance.models.audit import AuditEvent
from compliance.models.certificates import Certificate
from compliance.models.quizzes import TrainingCompletion
from compliance.models.retailers import Premises, Retailer
from compliance.models.users import User
from compliance.models.visits import FollowUp, TestPurchase, Visit

TRIGRAM = {"postgresql_using": "gin"}
ADVICE_GIVEN = "status = 'submitted' AND advice_given IS NOT NULL AND advice_given <> ''"
OPEN_FOLLOW_UP = "status <> 'closed'"
ANSWERED = "status = 'answered'"
LOCKED = "locked_until IS NOT NULL"

INDEXES = (
    # The priority list: each premises' latest submitted visit and whose agency visited it.
    Index("ix_visits_premises_status_visited", Visit.premises_id, Visit.status,
          Visit.visited_at),
    Index("ix_visits_premises_agency_status", Visit.premises_id, Visit.agency_id,
          Visit.status),
    # The visit list, newest first: an admin's (all submitted) and an agency's.
    Index("ix_visits_status_visited", Visit.status, Visit.visited_at, Visit.id),
    # With id (0011_lists): the list's full order, so an agency's page and its bounded count
    # are index-only ranges that stop, not sorts of the agency's 50,000 visits; premises_id
    # included so that search checks each visit's shop without reading the visit.
    Index("ix_visits_agency_status_visited", Visit.agency_id, Visit.status, Visit.visited_at,
          Visit.id, postgresql_include=["premises_id"]),
    # A business's visits (the manager's visits page), newest first: one range, any size.
    Index("ix_visits_retailer_status_visited", Visit.retailer_id, Visit.status,
          Visit.visited_at, Visit.id),
    # The visit list's "your own visits" parts (drafts, and any outside your agency), in list
    # order and covering (agency and shop included), so they are read from the index alone.
    Index("ix_visits_officer_status_visited", Visit.officer_id, Visit.status,
          Visit.visited_at, Visit.id, postgresql_include=["agency_id", "premises_id"]),
    # An operation report and its CSV.
    Index("ix_visits_operation_status_area", Visit.operation_id, Visit.status, Visit.area),
    # The report's advice list, a page at a time in visit order (only visits with advice).
    Index("ix_visits_operation_advice", Visit.operation_id, Visit.visited_at, Visit.id,
          postgresql_where=text(ADVICE_GIVEN), sqlite_where=text(ADVICE_GIVEN)),
    Index("ix_test_purchases_premises_sold", TestPurchase.premises_id, TestPurchase.sold,
          TestPurchase.resolved_at),
    # Unresolved failed test purchases are few: a per-premises probe of this is nearly free.
    Index("ix_test_purchases_unresolved_failures", TestPurchase.premises_id,
          postgresql_where=text("sold AND resolved_at IS NULL"),
          sqlite_where=text("sold AND resolved_at IS NULL")),
    Index("ix_assessments_premises_status_submitted", Assessment.premises_id,
          Assessment.status, Assessment.submitted_at),
    Index("ix_training_completions_user_expires", TrainingCompletion.user_id,
          TrainingCompletion.expires_at),
    # The priority list's "no refusals for 60 days" and the refusals register's pages.
    Index("ix_refusals_premises_occurred", Refusal.premises_id, Refusal.occurred_at),
    # Which entries a correction replaces (the register's pages and its weekly counts).
    Index("ix_refusals_corrects", Refusal.corrects_id),
    # A business's follow-ups (the manager's visits page): open ones, then closed by due date.
    Index("ix_follow_ups_retailer_status_due", FollowUp.retailer_id, FollowUp.status,
          FollowUp.due_on, FollowUp.id),
    # The same page's first half, those not closed, soonest due first (0017_shop_fu): a range
    # read in page order where the three statuses above made it a sort of all of them.
    Index("ix_follow_ups_retailer_open_due", FollowUp.retailer_id, FollowUp.due_on, FollowUp.id,
          postgresql_where=text(OPEN_FOLLOW_UP), sqlite_where=text(OPEN_FOLLOW_UP)),
    Index("ix_follow_ups_premises_status_due", FollowUp.premises_id, FollowUp.status,
          FollowUp.due_on),
    # The officer dashboard's follow-ups in progress, soonest due first (0014_open_fu): the
    # closed ones, most of them in time, are not in it to be stepped over.
    Index("ix_follow_ups_open_due", FollowUp.due_on, FollowUp.id,
          postgresql_where=text(OPEN_FOLLOW_UP), sqlite_where=text(OPEN_FOLLOW_UP)),
    # The officer dashboard's follow-ups in progress on their agency's visits, soonest due
    # first (0025_fu_agency_open): a range of the agency's, not the country's stepped through.
    Index("ix_follow_ups_agency_open_due", FollowUp.agency_id, FollowUp.due_on, FollowUp.id,
          postgresql_where=text(OPEN_FOLLOW_UP), sqlite_where=text(OPEN_FOLLOW_UP)),
    # An officer's home: their agency's answered follow-ups waiting for review, longest
    # waiting first (0023_fu_agency); the others, most of them in time, are not in it to be
    # stepped over, nor are other agencies' (0022_answered's index held every agency's, so a
    # small agency's officer read the whole country's to find theirs).
    Index("ix_follow_ups_agency_answered", FollowUp.agency_id, FollowUp.responded_at,
          FollowUp.id, postgresql_where=text(ANSWERED), sqlite_where=text(ANSWERED)),
    # The training matrix, a page at a time (0016_people): a business's people in the page's
    # order (active first, then by name), role included, so the page and its count are ranges of
    # this index, not a sort of a 2,000-person business.
    Index("ix_users_retailer_people", User.retailer_id, User.active.desc(), User.name, User.id,
          User.role),
    # The admins' account list by name, all accounts or one role's (0019_lists): the page and
    # its bounded count are ranges in page order, not a sort of 100,000 accounts (30 ms).
    Index("ix_users_name", User.name, User.id),
    Index("ix_users_role_name", User.role, User.name, User.id),
    # The admins' home: the accounts locked now, a handful at most (was a scan of them all).
    Index("ix_users_locked_until", User.locked_until, postgresql_where=text(LOCKED),
          sqlite_where=text(LOCKED)),
    # The audit log, newest first, all of it or one action's (0021_audit): it grows with
    # every sign-in and change, so its pages are ranges, never a count and sort of millions
    # (a million events: 107 ms a page). The admins' home reads a week of notable actions.
    Index("ix_audit_events_at_id", AuditEvent.at, AuditEvent.id),
    Index("ix_audit_events_action_at_id", AuditEvent.action, AuditEvent.at, AuditEvent.id),
    # The certificate list, newest first: everyone's (officers and admins) and a business's
    # (managers); was a sort of 100,000 certificates (37 ms) for each page.
    Index("ix_certificates_issued", Certificate.issued_at, Certificate.id),
    Index("ix_certificates_retailer_issued", Certificate.retailer_id, Certificate.issued_at,
          Certificate.id),
    # Postcode district filters: LIKE 'SW1A %' is a prefix range on this index.
    Index("ix_premises_postcode_pattern", Premises.postcode,
          postgresql_ops={"postcode": "varchar_pattern_ops"}),
    # Visit search: ILIKE '%...%' over shop name, postcode and business name.
    Index("ix_premises_name_trgm", Premises.name, postgresql_ops={"name": "gin_trgm_ops"},
          **TRIGRAM),
    Index("ix_premises_postcode_trgm", Premises.postcode,
          postgresql_ops={"postcode": "gin_trgm_ops"}, **TRIGRAM),
    Index("ix_retailers_name_trgm", Retailer.name, postgresql_ops={"name": "gin_trgm_ops"},
          **TRIGRAM),
    # The shop finder (0020_find): a rare word's shops through trigrams of the town and of the
    # postcode as typed without spaces ("ab12cd"), a common word's by walking names in order.
    Index("ix_premises_town_trgm", Premises.town, postgresql_ops={"town": "gin_trgm_ops"},
          **TRIGRAM),
    Index("ix_premises_postcode_compact_trgm",
          func.replace(func.lower(Premises.postcode), " ", "").label("postcode_compact"),
          postgresql_ops={"postcode_compact": "gin_trgm_ops"}, **TRIGRAM),
    Index("ix_premises_name", Premises.name, Premises.id),
    # A business's premises by name (0024_prem_name; it replaces the plain retailer_id index):
    # the manager's home, a page of premises counted whole, and the business's pages. With
    # only retailer_id indexed, PostgreSQL's plan for a chain of 500 walked every premises in
    # the country in name order (ix_premises_name) to find the chain's: 20 ms a home page.
    Index("ix_premises_retailer_name", Premises.retailer_id, Premises.name, Premises.id),
)
