"""`fazhi web`: the review pages on the warehouse (Starlette, Jinja2 templates, plain forms and
one small static script; nothing fetched at run time).

app.py        the application: settings, middleware (sessions, security headers, hosts), routes
access.py     the web role's engine, reviewers' logins and passwords (scrypt), CSRF, the session
pages.py      shared page helpers: templates, the marts' state (built when, threshold, stale)
queue.py      the review queue (marts.review_queue, reviewed live from core.correction)
report.py     a report's text with its figures highlighted, and the actions on them
figures.py    which figures a report has and what reviewers decided about each
place.py      one place across years and renames
log.py        the corrections log: revoke, CSV export and import (fazhi.research.sharing)
build.py      the incremental build the page offers, in a background thread, under the writer lock

Every correction goes through fazhi.research.corrections.record, as `fazhi correct` does, into
core.correction, written by the role fazhi_web (fazhi.warehouse.roles.grant_web_role).
"""
