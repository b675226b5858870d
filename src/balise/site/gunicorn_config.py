"""gunicorn's settings for `make serve` (`gunicorn -c python:balise.site.gunicorn_config`).

gunicorn names itself in every response ("Server: gunicorn"): telling a scanner which software
and so which known flaws to try is of no use to anyone else. The header is kept (some clients
expect it) but says nothing.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "web"
