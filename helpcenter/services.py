"""The app's long-lived services, one typed accessor each (as flaskr's `get_db()`).

`create_app` builds them once and `install` keeps them in `app.extensions`; everything else
(views, CLI, reports, tests, bench) asks for them here, so a misspelt key fails at import time
and an editor can follow the call. Each accessor takes the app, or uses `current_app` inside
an app context. This module is the only one that knows the `app.extensions` keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:  # imported only for the hints: the services import Flask-side modules
    from .activity.learned_sync import LearningSync
    from .activity.searchlog import SearchLog
    from .config_file import ConfigFile
    from .content.store import ContentStore
    from .search.indexer import IndexStore
    from .search.searcher import SearchService
    from .search.sync import IndexSync
    from .support.outbox import Kicker

_KEY = "helpcenter_services"


@dataclass(frozen=True)
class Services:
    """Everything `create_app` builds besides the Flask app itself."""

    config_file: ConfigFile | None
    # Where each setting came from ("default", a file:line, "environment …"), for `config show`.
    setting_sources: Mapping[str, str]
    content: ContentStore
    indexes: IndexStore
    search: SearchService
    index_sync: IndexSync
    search_log: SearchLog
    kicker: Kicker
    learning: LearningSync


def install(app: Flask, services: Services) -> None:
    app.extensions[_KEY] = services


def services(app: Flask | None = None) -> Services:
    return (app or current_app).extensions[_KEY]


def config_file(app: Flask | None = None) -> ConfigFile | None:
    """The content repo's helpcenter.toml the app was configured from (None: none)."""
    return services(app).config_file


def setting_sources(app: Flask | None = None) -> Mapping[str, str]:
    return services(app).setting_sources


def content_store(app: Flask | None = None) -> ContentStore:
    return services(app).content


def indexes(app: Flask | None = None) -> IndexStore:
    return services(app).indexes


def search_service(app: Flask | None = None) -> SearchService:
    return services(app).search


def index_sync(app: Flask | None = None) -> IndexSync:
    return services(app).index_sync


def search_log(app: Flask | None = None) -> SearchLog:
    return services(app).search_log


def kicker(app: Flask | None = None) -> Kicker:
    return services(app).kicker


def learning(app: Flask | None = None) -> LearningSync:
    return services(app).learning
