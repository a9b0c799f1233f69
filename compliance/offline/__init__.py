"""Officer visits with no signal: an installable web app, a device outbox, and its sync API.

`bp` serves the offline pages, the manifest, the data bundle and the JSON sync API under
/offline/; `root_bp` serves the service worker from the site root (/sw.js), registered with
the narrow scope /offline/ so it controls only the offline pages.
"""

from flask import Blueprint

import compliance.visits  # noqa: F401  (first: visits and followups import each other)

bp = Blueprint("offline", __name__, url_prefix="/offline")
root_bp = Blueprint("offline_root", __name__)

from compliance.offline import api, routes  # noqa: E402,F401
