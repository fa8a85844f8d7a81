"""Staff pages for contact requests: one request with its context and deliveries, finding
requests by reference or e-mail, and erasing a customer's personal data. Personal data: staff
only, never cached."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext

from ..labels import REASONS
from ..models import ContactRequest
from ..support.outbox import deliver_due
from ..support.requests import (
    count_from,
    find_request,
    forget,
    normalize_reference,
    requests_from,
)
from ..typed_text import without_control_characters
from .catalog_access import current_catalog
from .forms import Form
from .staff_login import current_user, staff_required
from .staff_pages import never_cache, page_context, requested_period

bp = Blueprint("contact_requests", __name__, url_prefix="/reports/requests")
bp.after_request(never_cache)
log = logging.getLogger(__name__)


@bp.get("/find")
@staff_required
def find():
    """A request by its reference (as a customer reads it out), or every request from an
    e-mail address (before erasing someone's data, for instance)."""
    text = without_control_characters(request.args.get("q", "")).strip()[:254]
    reference = normalize_reference(text)
    matches, problem, status = [], None, 200
    if reference:
        found = find_request(reference)
        if found is not None:
            return redirect(url_for("contact_requests.show", reference=found.reference))
        problem, status = (
            gettext("No contact request has the reference %(reference)s.", reference=reference),
            404,
        )
    elif "@" in text:
        matches = requests_from(text)
        if not matches:
            problem, status = gettext("No contact requests from %(email)s.", email=text), 404
    elif text:
        problem, status = gettext("Enter a reference (HC-…) or an e-mail address."), 400
    return render_template(
        "reports/find_requests.html",
        text=text,
        problem=problem,
        matches=matches,
        **page_context(requested_period()),
    ), status


@bp.get("/<reference>")
@staff_required
def show(reference: str):
    """One contact request with its context and deliveries, and the erasure of its sender's
    personal data (a customer's request to be forgotten, without the command line)."""
    found = find_request(reference)
    if found is None:
        abort(404)
    view = current_catalog().find(found.lang, found.article_id) if found.article_id else None
    return render_template(
        "reports/contact_request.html",
        request_=found,
        article=view,
        from_sender=count_from(found.email) if found.email else 0,
        form=Form(),
        reasons=REASONS,
        **page_context(requested_period()),
    )


def _posted_request(reference: str) -> ContactRequest:
    """The request a staff form was posted for: 404 if unknown, 400 without a valid token."""
    found = find_request(reference)
    if found is None:
        abort(404)
    if not Form().validate():
        abort(400)
    return found


@bp.post("/<reference>/retry")
@staff_required
def retry_delivery(reference: str):
    """Tries the pending deliveries now, without waiting out their backoff (e.g. right after
    the mail server is fixed); the page then shows how it went."""
    found = _posted_request(reference)
    deliver_due(request_id=found.id, retry_now=True)
    return redirect(url_for("contact_requests.show", reference=found.reference), code=303)


@bp.post("/<reference>/erase")
@staff_required
def erase_sender(reference: str):
    found = _posted_request(reference)
    if found.email:
        erased = forget(found.email)
        log.info(
            "staff %s erased the personal data of %d contact requests (from %s)",
            current_user().email,
            erased,
            reference,
        )
    return redirect(url_for("contact_requests.show", reference=found.reference), code=303)
