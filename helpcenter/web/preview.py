"""The writer's preview's one endpoint: a long poll the preview script (static/js/preview.js)
keeps open, answered as soon as the articles change, so the page reloads itself after a save.

Only in the writer's preview (web/writer_preview.py); everywhere else it does not exist (404).
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from .. import services
from . import writer_preview

bp = Blueprint("preview", __name__)

# How long one request waits for a change before it answers "no change" and the script asks
# again: well below the time a proxy or a browser gives up on a silent request.
WAIT_SECONDS = 20.0


@bp.get("/_preview/changes")
def changes():
    """`?since=N`: the generation of the articles once it is not N any more (or after
    WAIT_SECONDS), as JSON `{"generation": M}`."""
    if not writer_preview.is_on():
        abort(404)
    try:
        since = int(request.args.get("since", ""))
    except ValueError:
        since = -1  # answered at once: the script reloads
    generation = services.content_store().wait_for_change(since, WAIT_SECONDS)
    response = jsonify(generation=generation)
    response.headers["Cache-Control"] = "no-store"
    return response
