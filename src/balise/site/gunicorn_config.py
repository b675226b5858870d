"""gunicorn's settings for `make serve` (`gunicorn -c python:balise.site.gunicorn_config`).

gunicorn names itself in every response ("Server: gunicorn"): telling a scanner which software
and so which known flaws to try is of no use to anyone else. The header is kept (some clients
expect it) but says nothing.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "web"

# gunicorn's default (4,094 bytes) refuses a longer request line itself, with a plain-text 400 that
# the API's clients cannot read. At 8,190 (gunicorn's maximum) an over-long API address reaches
# Django, which answers 414 in the API's JSON shape (balise.site.middleware.API_MAX_ADDRESS_LENGTH,
# 2,000); only a line longer than 8,190 bytes still gets gunicorn's own answer.
limit_request_line = 8190
