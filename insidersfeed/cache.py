"""A Redis cache that degrades to a miss when Redis is unreachable or refuses a command.

Django's RedisCache raises on connection errors and on error replies (a Redis at maxmemory with
the noeviction policy answers every write with an OOM error), which would turn a Redis problem
into a site outage. Here every read misses and every write is dropped (with a log line), so pages
are served uncached until Redis is back; the readiness probe, which must see the problem, asks
`probe()`.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisError,)


def _log(operation, error):
    logger.warning("Redis unavailable during cache %s; serving uncached: %s", operation, error)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except REDIS_DOWN as error:
            _log("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except REDIS_DOWN as error:
            _log("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except REDIS_DOWN as error:
            _log("has_key", error)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except REDIS_DOWN as error:
            _log("set", error)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except REDIS_DOWN as error:
            _log("add", error)
            return False

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except REDIS_DOWN as error:
            _log("set_many", error)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except REDIS_DOWN as error:
            _log("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except REDIS_DOWN as error:
            _log("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except REDIS_DOWN as error:
            _log("delete_many", error)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except REDIS_DOWN as error:
            _log("incr", error)
            raise ValueError(f"Key {key!r} not found (Redis unavailable).") from error

    def clear(self):
        try:
            return super().clear()
        except REDIS_DOWN as error:
            _log("clear", error)
            return False

    def probe(self, key, value):
        """Store and read back a value, raising what Redis answers: the readiness check."""
        super().set(key, value, 10)
        return super().get(key) == value
