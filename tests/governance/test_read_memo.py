"""Reads remembered per process until the registry changes (governance/read_memo.py)."""

import pytest

from governance import read_memo


def counting():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_read_is_computed_once_per_key():
    compute, calls = counting()
    assert read_memo.remembered(("page", 1), compute) == 1
    assert read_memo.remembered(("page", 1), compute) == 1
    assert read_memo.remembered(("page", 2), compute) == 2
    assert len(calls) == 2


def test_the_least_recently_used_read_is_forgotten_first(settings):
    settings.READ_MEMO_ENTRIES = 2
    compute, calls = counting()
    read_memo.remembered("a", compute)
    read_memo.remembered("b", compute)
    read_memo.remembered("a", compute)  # used again: "b" is now the oldest
    read_memo.remembered("c", compute)
    read_memo.remembered("a", compute)
    assert len(calls) == 3
    read_memo.remembered("b", compute)
    assert len(calls) == 4


def test_nothing_is_remembered_when_turned_off(settings):
    settings.READ_MEMO_ENTRIES = 0
    compute, calls = counting()
    read_memo.remembered("a", compute)
    read_memo.remembered("a", compute)
    assert len(calls) == 2


def test_a_failed_read_is_not_remembered():
    def failing():
        raise LookupError("no such branch")

    compute, calls = counting()
    for _ in range(2):
        with pytest.raises(LookupError):
            read_memo.remembered("x", failing)
    assert read_memo.remembered("x", compute) == 1


def test_the_same_query_parameters_in_another_order_are_the_same_key():
    from django.http import QueryDict

    one = read_memo.query_key(QueryDict("q=ana&role=lead&page=2"))
    assert one == read_memo.query_key(QueryDict("page=2&role=lead&q=ana"))
    assert one != read_memo.query_key(QueryDict("q=ana&role=lead&page=3"))
