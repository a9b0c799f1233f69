"""The header navigation: what the signed-in role can do."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_login import current_user

from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.models.base import utcnow
from compliance.visits.timezone import uk_datetime_text


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        items = [(_("Register a business"), "business.register"),
                 (_("Check a certificate"), "verify.form"), (_("Sign in"), "auth.sign_in")]
    else:
        items = [(_("Home"), "main.index"), (_("Training"), "training.index"),
                 (_("Certificates"), "certificates.index")]
        if current_user.role == Role.MANAGER:
            items += [(_("Your business"), "business.index"),
                      (_("Training records"), "training.matrix"),
                      (_("Visits and follow-ups"), "followups.shop")]
        if current_user.role in (Role.OFFICER, Role.ADMIN):
            items += [(_("Visits"), "visits.dashboard"), (_("Businesses"), "business.index")]
        if current_user.role == Role.ADMIN:
            items += [(_("Accounts"), "admin.users"), (_("Agencies"), "admin.agencies"),
                      (_("Question bank"), "questions.index"),
                      (_("Checklist"), "assessments.checklist_index"),
                      (_("Content reviews"), "admin.content_reviews"),
                      (_("Audit log"), "admin.audit_log"),
                      (_("Background jobs"), "jobs.index")]
        if current_user.role == Role.STAFF:
            items.append((_("Record a refusal"), "refusals.record_start"))
        items.append((_("Your account"), "main.account"))
    current = request.endpoint or ""
    exact = {endpoint for _t, endpoint in items if endpoint == current}
    blueprint = current.split(".")[0]
    active = exact or {next((e for _t, e in items if e.split(".")[0] == blueprint
                             and not e.startswith("main.")), None)}
    return [{"text": text, "href": url_for(endpoint), "active": endpoint in active}
            for text, endpoint in items]


def register_navigation(app: Flask) -> None:
    app.add_template_global(nav_items, "nav_items")
    app.add_template_global(utcnow, "now")
    app.add_template_filter(uk_datetime_text, "uk_datetime")  # every time shown in UK time
    app.add_template_global(lambda: app.config["SERVICE_NAME"], "service_name")
