"""gunicorn settings for production (see docs/deploy.md): `gunicorn -c python:helpcenter.gunicorn_conf`
with the installed package, `gunicorn -c gunicorn.conf.py` in this repository.

Web processes are stateless: the database is shared (PostgreSQL in production), the search
index is files each node builds from the same git commit, the limits on contact posts, votes,
acknowledgements and logins count in the database, the per-minute search throttles in
HELPCENTER_RATELIMIT_STORAGE_URI (Redis when several processes serve). Override any value with
GUNICORN_CMD_ARGS or -b/-w flags.
"""

import multiprocessing
import os

# Production: the instance folder (secret key, database, index) must lie outside the content
# repository (HELPCENTER_INSTANCE_PATH).
wsgi_app = "helpcenter:create_app(production=True)"
bind = os.environ.get("HELPCENTER_BIND", "127.0.0.1:8000")
# Search is CPU-bound Python: one process per core, a few threads each for I/O waits.
workers = int(os.environ.get("HELPCENTER_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("HELPCENTER_THREADS", 4))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # recycle workers now and then (memory stays flat)
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# No client address, no query string (searches, the staff's e-mail look-ups) and no referrer
# (it holds the previous page's query): the access log keeps what an operator needs, and the
# privacy promise that no IP address is stored holds here too.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'

# The proxy in front sets X-Forwarded-*; the app trusts it with HELPCENTER_PROXY_COUNT=1.
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker):
    """Each worker loads the articles and opens its searchers before it takes requests."""
    from helpcenter import throttle_store_warning, warm_up

    warm_up(worker.wsgi)
    warning = throttle_store_warning(worker.wsgi, worker.cfg.workers)
    if warning and worker.age == 1:  # the first worker says it once, not every recycled one
        worker.log.warning(warning)
