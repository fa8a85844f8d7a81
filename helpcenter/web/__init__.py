"""The web faces of the help center; one blueprint per audience."""

from __future__ import annotations

from flask import Flask

from ..extensions import babel
from ..icons import icon
from . import (
    assets,
    beacon,
    branding,
    caching,
    catalog_access,
    contact_requests,
    errors,
    health,
    help_widget,
    i18n,
    panel,
    popular,
    preview,
    recent_search,
    reports,
    search,
    security,
    site,
    staff_login,
    support,
    visitor,
    writer_preview,
)
from .request_limits import limiter


def register_web(app: Flask) -> None:
    i18n.install_language_converter(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_text_translations(app)
    # Called by the pages that show it (home, a search with no results), cached per language.
    app.jinja_env.globals["most_viewed"] = popular.most_viewed
    app.jinja_env.globals["icon"] = icon
    limiter.init_app(app)  # per-minute throttles of searches (web/request_limits.py for posts)
    app.context_processor(i18n.template_context)
    app.context_processor(assets.template_context)
    app.context_processor(catalog_access.template_context)
    app.context_processor(branding.template_context)
    app.context_processor(writer_preview.template_context)
    app.register_blueprint(site.bp)
    app.register_blueprint(branding.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(support.bp)
    app.register_blueprint(beacon.bp)
    app.register_blueprint(staff_login.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(contact_requests.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(help_widget.bp)
    security.install(app)
    panel.install(app)  # after security: its framing policy goes in first
    caching.install(app)
    visitor.install(app)
    recent_search.install(app)
    errors.install(app)
