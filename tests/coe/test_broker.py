"""coe.broker: the Redis transport that keeps a worker alive when Redis goes away."""

from types import SimpleNamespace

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from coe import broker


def test_a_channel_of_a_closed_connection_reports_a_connection_error_not_an_attribute_error():
    # What the consumer meets when it closes a connection it lost while holding an
    # unacknowledged message: the transport is already detached from it.
    channel = broker.Channel.__new__(broker.Channel)
    channel.connection = SimpleNamespace(client=None)
    with pytest.raises(RedisConnectionError):
        channel._connparams()


def test_the_transport_counts_that_error_among_the_connection_errors_it_ignores():
    assert issubclass(RedisConnectionError, broker.Transport.connection_errors)
    assert broker.Transport.Channel is broker.Channel
