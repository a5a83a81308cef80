"""Values as a board reads them."""

import pytest

from core.export.readable import number, seconds, when, words


@pytest.mark.parametrize(("value", "text"), [
    (3.844883758999913, "3.845"), (0.5, "0.5"), (2.0, "2"), (12345.678, "12,346"),
    (0.00001, "< 0.001"), (-0.00001, "> −0.001"), (0.0, "0"), (None, "—"), (float("nan"), "—"),
    (False, "no"), (True, "yes"), (32561, "32,561"), ("age", "age"),
])
def test_number(value, text):
    assert number(value) == text


def test_seconds_times_and_keys():
    assert seconds(3.844883758999913) == "3.8 s" and seconds(None) == "—"
    assert when("2026-01-02T03:04:05.123456+00:00") == "2026-01-02 03:04 UTC"
    assert words("needs_work") == "needs work" and words("approve") == "approved"
    assert words("not_computed") == "not computed"
