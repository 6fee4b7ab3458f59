"""gunicorn settings; every value can be overridden from the environment."""

import os

wsgi_app = "newsroom.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Load Django once in the master so workers fork with it already imported.
preload_app = True

# Recycle workers now and then, staggered, so slow leaks never add up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))

accesslog = "-"
errorlog = "-"

# Several servers may run side by side here (make run, tests, benchmarks); none
# of them is managed through gunicorn's control socket.
control_socket_disable = True
