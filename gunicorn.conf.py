"""gunicorn settings used by `make demo` (and a sensible production start).

The access log leaves out the query string and the client address: search
boxes put names and NIPs in query strings, and logs must hold no personal data.
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
