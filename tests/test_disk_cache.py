"""The cache of the package's own parsed files (generator.disk_cache): used, keyed by content, self-healing,
and never holding what a clerk wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import disk_cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "gen-directive" / "data"


def test_a_value_is_computed_once_per_content(cache_home: Path) -> None:
    calls: list[str] = []

    def compute(value: str):  # type: ignore[no-untyped-def]
        return lambda: calls.append(value) or {"parsed": value}

    assert disk_cache.cached("kind", b"source", compute("first")) == {"parsed": "first"}
    assert disk_cache.cached("kind", b"source", compute("again")) == {"parsed": "first"}  # from the cache
    assert disk_cache.cached("kind", b"edited", compute("edited")) == {"parsed": "edited"}  # new content, new key
    assert disk_cache.cached("other", b"source", compute("other")) == {"parsed": "other"}
    assert calls == ["first", "edited", "other"]
    assert len(list(cache_home.glob("*.pickle"))) == 3


def test_a_broken_entry_is_parsed_again(cache_home: Path) -> None:
    disk_cache.cached("kind", b"source", lambda: "good")
    (entry,) = cache_home.glob("*.pickle")
    entry.write_bytes(b"\x80not a pickle")
    assert disk_cache.cached("kind", b"source", lambda: "parsed again") == "parsed again"
    assert disk_cache.cached("kind", b"source", lambda: "not called") == "parsed again"


def test_an_unwritable_cache_only_costs_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "gen-directive").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert disk_cache.cached("kind", b"source", lambda: 1) == 1
    assert disk_cache.cached("kind", b"source", lambda: 2) == 2


def test_the_shipped_registry_is_kept_and_a_clerks_own_file_is_not(cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import registry

    kinds: list[str] = []
    original = disk_cache.cached

    def recording(kind, source, compute):  # type: ignore[no-untyped-def]
        kinds.append(kind)
        return original(kind, source, compute)

    monkeypatch.setattr(disk_cache, "cached", recording)
    own = tmp_path / "own.yaml"
    own.write_text("organs:\n  my-organ:\n    like: lai-chau/tinh-uy\n    name: ĐẢNG ỦY RIÊNG\n    short_name: Đảng ủy riêng\n", encoding="utf-8")
    first = registry.build([(p, registry._display(p)) for p in registry._registry_files()] + [(own, "own.yaml")])
    second = registry.build([(p, registry._display(p)) for p in registry._registry_files()] + [(own, "own.yaml")])
    assert first.get("my-organ").name == second.get("my-organ").name == "ĐẢNG ỦY RIÊNG"
    shipped = sorted(f"organs:{registry._display(p)}" for p in registry._registry_files())
    assert sorted(kinds) == sorted(shipped * 2)  # every shipped file, each build; never own.yaml
    assert first.get("lai-chau/tinh-uy") == second.get("lai-chau/tinh-uy")
