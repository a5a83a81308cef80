from core.review import CAN_SIGN_OFF, ROLES, role_for


def test_roles_come_from_the_mapping_case_insensitively_and_default_to_viewer():
    mapping = {"reviewer": ["Dana@Example.org"], "analyst": ["ann@example.org", "dana@example.org"]}
    assert role_for(" dana@example.org ", mapping) == "reviewer"  # the stronger role wins
    assert role_for("ann@example.org", mapping) == "analyst"
    assert role_for("eve@example.org", mapping) == "viewer"
    assert CAN_SIGN_OFF == ("reviewer",) and ROLES == ("reviewer", "analyst", "viewer")
