"""The Redis broker transport: kombu's, with one fix so that a worker survives Redis
going away while it holds an unacknowledged message.

Reproduced with Celery 5.7 / kombu 5.7 (a solo worker, a task in its countdown, Redis
stopped): the consumer loses the connection, closes it, and closing the channel tries
to put the unacknowledged message back on the queue. By then the connection's transport
has been detached (`client` is None), so building a Redis client for that raises
`AttributeError: 'NoneType' object has no attribute 'hostname'`. That is not one of the
connection errors the consumer ignores while closing, so the worker logs "Restoring 1
unacknowledged message(s)", then "Unrecoverable error" and exits -- and every task
queued afterwards waits for a worker nobody restarts.

Here a detached channel reports a Redis ConnectionError instead, which the consumer
ignores as it should: the message stays in Redis's unacked set (redelivered after the
visibility timeout if Redis kept it), and the worker reconnects when Redis is back.
Selected by CELERY_BROKER_TRANSPORT in settings when REDIS_URL is set.
"""

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        if self.connection.client is None:
            raise RedisConnectionError("The broker connection has already been closed.")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
