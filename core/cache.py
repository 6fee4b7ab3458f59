"""The shared caches: a file cache sized for a newsroom, and a Redis cache
that degrades to "no cache" while Redis is unreachable.

Django's RedisCache raises on a refused or timed-out connection, which would turn
a cache outage into a site outage. Here every cache call that cannot reach Redis
behaves like a miss (reads) or a no-op (writes), and the outage is logged as a
warning, at most once per WARNING_INTERVAL seconds per process so a long outage
does not flood the log. Pages then render from the database, only slower.
"""

import itertools
import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARNING_INTERVAL = 60.0

# Django's file cache counts every file in its directory on every write, to
# decide whether to cull: about 90 ms at 20,000 entries on this machine. It
# is counted here on one write in this many, in each process.
CULL_CHECK_EVERY = 200
_writes = itertools.count(1)


class SharedFileCache(FileBasedCache):
    """Django's file cache, for the pages of a whole archive.

    Its default size (300 entries) would keep a few hundred pages of a site of
    thousands, culling a third of them at random on each write once full;
    CACHE_MAX_ENTRIES sets it. Between checks the cache may run over its size
    by up to CULL_CHECK_EVERY writes per worker.
    """

    def _cull(self):
        if next(_writes) % CULL_CHECK_EVERY == 0:
            super()._cull()


# Short timeouts: a dead or unreachable Redis must cost a request milliseconds,
# not the operating system's TCP timeout.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations survive Redis being down."""

    _last_warning = 0.0
    _suppressed = 0

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    @property
    def _location_for_log(self):
        # Host and port only: a redis:// URL may carry a password.
        return ", ".join(
            urlsplit(server).netloc.rpartition("@")[2] or server
            for server in self._servers
        )

    def _unreachable(self, operation, error, fallback):
        cls = type(self)
        now = time.monotonic()
        if now - cls._last_warning >= WARNING_INTERVAL:
            logger.warning(
                "Cache unreachable at %s (%s during %s); serving without the cache. "
                "%d similar errors since the last warning.",
                self._location_for_log,
                error,
                operation,
                cls._suppressed,
            )
            cls._last_warning = now
            cls._suppressed = 0
        else:
            cls._suppressed += 1
        return fallback

    def _guard(self, operation, fallback, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as error:
            return self._unreachable(operation, error, fallback)

    def add(self, *args, **kwargs):
        return self._guard("add", False, super().add, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def set(self, *args, **kwargs):
        return self._guard("set", None, super().set, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard("touch", False, super().touch, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", False, super().delete, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guard("get_many", {}, super().get_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", False, super().has_key, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._unreachable("incr", error, None)
            # What incr does for a key the cache does not hold.
            raise ValueError(f"Key {key!r} not found (cache unreachable).") from error

    def set_many(self, data, *args, **kwargs):
        # Every key failed to be stored, as set_many reports failures.
        return self._guard(
            "set_many", list(data), super().set_many, data, *args, **kwargs
        )

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", None, super().delete_many, *args, **kwargs)

    def clear(self):
        return self._guard("clear", False, super().clear)
