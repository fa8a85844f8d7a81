"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see docs/deploy.md).

They live in the package, so an installed help center has them too
(`gunicorn -c python:helpcenter.gunicorn_conf`); this file is that module for this repository.
"""

from helpcenter.gunicorn_conf import *  # noqa: F403
