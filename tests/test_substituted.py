"""The lookup shortcut (generator.jinja_env.substituted) against the sandbox it stands in for.

A text whose only template syntax is ``{{ name.key… }}`` lookups of texts is filled without compiling a
template; for such a text the result must be the sandbox's, in both environments that render a clerk's
texts (fields and body), and for any other text the shortcut must decline (None).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.bodies import environment as body_environment
from generator.jinja_env import bounded_render, substituted, text_environment

CONTEXT = {
    "issuer": {"area": "thành phố Lai Châu", "name": "A & B <x>", "items": "khóa trùng tên hàm", "_hidden": "ẩn",
               "keys": "k", "nested": {"deep": "sâu"}, "number": 7, "empty": ""},
    "date": "2026-11-29", "count": 5, "listing": ["a", "b"], "none": None, "control": "a\x01b", "nbsp": "\u00a0",
}
PIECES = [
    "Đảng bộ ", " và ", "\n", "{", "}", "}}", "{ {", "%}", "#}", "Số 5/KH", "",
    "{{ issuer.area }}", "{{issuer.area}}", "{{  issuer.name  }}", "{{ issuer.nested.deep }}", "{{ date }}",
    "{{ issuer.items }}", "{{ issuer.keys }}", "{{ issuer._hidden }}", "{{ issuer.missing }}", "{{ missing }}",
    "{{ count }}", "{{ listing }}", "{{ none }}", "{{ issuer.number }}", "{{ issuer.empty }}", "{{ control }}", "{{ nbsp }}",
    "{{- issuer.area }}", "{{ issuer.area -}}", "{{\tissuer.area }}", "{{ issuer . area }}", "{{ issuer.area|upper }}",
    "{{ issuer['area'] }}", "{% if count %}có{% endif %}", "{# ghi chú #}", "{{ issuer.area", "{{ 1 + 1 }}",
    "{{ issuer.nested }}", "{{ issuer.area.upper }}", "{{ date.year }}", "{{ listing.0 }}",
]


def sandbox(environment, text: str) -> str | Exception:
    try:
        return bounded_render(environment.from_string(text), CONTEXT)
    except Exception as exc:  # noqa: BLE001 - any failure means the shortcut must have declined
        return exc


@settings(max_examples=int(os.environ.get("SUBSTITUTE_EXAMPLES", "600")), deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6))
def test_the_shortcut_is_the_sandbox_or_declines(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = substituted(text, CONTEXT)
    if fast is not None:
        assert fast == sandbox(text_environment(), text) == sandbox(body_environment(), text), text


@pytest.mark.parametrize("text, expected", [
    ("Nhân dân {{ issuer.area }} quyết tâm", "Nhân dân thành phố Lai Châu quyết tâm"),
    ("{{issuer.name}} và {{ issuer.nested.deep }}\n", "A & B <x> và sâu\n"),
    ("{{ issuer.empty }}", ""),
])
def test_lookups_are_filled(text: str, expected: str) -> None:
    assert substituted(text, CONTEXT) == expected


@pytest.mark.parametrize("text", [
    "{{ issuer.items }}", "{{ issuer._hidden }}", "{{ missing }}", "{{ count }}", "{{ none }}", "{{ control }}",
    "{{ issuer.area|upper }}", "{{- issuer.area }}", "{% if count %}x{% endif %}", "{{ issuer.area }} {# c #}",
])
def test_everything_else_is_left_to_the_sandbox(text: str) -> None:
    assert substituted(text, CONTEXT) is None
