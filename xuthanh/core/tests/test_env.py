import pytest
from django.core.exceptions import ImproperlyConfigured

from xuthanh.core.env import env_bool, env_int, env_list


def test_env_bool_accepts_clear_values(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("N", "12")
    monkeypatch.setenv("L", "a, b,,c")
    assert env_int("N", 1) == 12
    assert env_list("L") == ["a", "b", "c"]
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
