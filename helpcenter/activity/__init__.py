"""The activity log: what visitors searched, read and clicked (searchlog.py, with the per-network
cap on what one client may add, log_quota.py), their visits (visits.py), the daily roll-ups the
reports count from (rollups.py), the words customers used for an article (learned_terms.py) and
their way into the search indexes (learned_sync.py), and deleting old activity (retention.py).
Below the web and the reports: it records, rolls up and prunes, it never reads a request."""
