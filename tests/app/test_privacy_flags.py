"""Flagging a row on the Privacy page goes through the reviewer's identity and role."""

from __future__ import annotations

import pytest

from core.review import current_decisions
from core.store import Store
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    _open_store.clear()
    yield
    _open_store.clear()


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "s",
        "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration"}


def _flags(db):
    _open_store.clear()
    store = Store(db["path"])
    flags = current_decisions(store, db["run"], kind="row")
    store.close()
    return list(flags.values())


def _privacy(db):
    at = page("pages/8_Privacy.py")
    at.session_state[state.DATASET_ID] = db["dataset"]
    at.session_state[state.RUN_ID] = db["run"]
    return at


def test_with_sign_in_on_a_signed_out_user_cannot_flag_and_types_no_name(evaluated_db):
    # Setup: OIDC sign-in configured, nobody signed in
    at = _privacy(evaluated_db)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    # Run
    at.run()
    # Assert
    assert not at.exception
    assert [t.key for t in at.text_input] == ["pr.flag.comment"]  # no typed name to trust
    assert at.button(key="auth.login").label == "Sign in"
    assert at.get("form_submit_button")[0].proto.disabled is True


def test_with_sign_in_the_flag_records_the_signed_in_email_and_its_role(evaluated_db):
    # Setup: signed in as an analyst (the role comes from the roles mapping, not from the user)
    at = _privacy(evaluated_db)
    at.secrets["auth"] = AUTH
    at.secrets["synthreview"] = {"roles": {"analyst": ["ana@example.org"]}}
    at.user = {"is_logged_in": True, "email": "ana@example.org"}
    at.run()
    # Run
    at.text_input(key="pr.flag.comment").set_value("too close")
    at.get("form_submit_button")[0].click().run()
    # Assert
    assert not at.exception
    assert [(d.reviewer, d.role) for d in _flags(evaluated_db)] == [("ana@example.org", "analyst")]


def test_without_sign_in_the_flag_records_the_typed_name_and_chosen_role(evaluated_db):
    # Setup
    at = _privacy(evaluated_db).run()
    at.text_input(key="auth.name").set_value("Ana").run()
    at.selectbox(key="auth.role").set_value("analyst").run()
    # Run
    at.text_input(key="pr.flag.comment").set_value("too close")
    at.get("form_submit_button")[0].click().run()
    # Assert
    assert not at.exception
    assert [(d.reviewer, d.role) for d in _flags(evaluated_db)] == [("Ana", "analyst")]
