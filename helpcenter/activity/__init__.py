"""The activity log: what visitors searched, read and clicked (searchlog.py), their visits
(visits.py), and deleting old activity (retention.py). Below the web and the reports: it
records and prunes, it never reads a request."""
