"""The shared cache on Redis (CACHE_URL): Django's backend, keeping its `redis.Redis` clients.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` around the connection pool on every cache call, and
building one (redis-py sets up its table of reply callbacks) cost about as much as the call's round trip: a kept public
page is one cache read and nothing else, and on the real server a tenth of its time went to building that client
(py-spy; bench/bench_public.py). A client is only a handle on its pool, so one per pool does: the connections, and
everything they hold, stay in the pool as before (one per worker thread: Django gives each thread its own cache)."""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
