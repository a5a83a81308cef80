"""Security settings of the Streamlit server, read from the file the server reads."""

import tomllib
from pathlib import Path

from core.config import Limits

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_xsrf_on_upload_limit_stated_and_error_details_hidden():
    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True
    assert cfg["server"]["maxUploadSize"] == Limits().max_file_mb
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["browser"]["gatherUsageStats"] is False


def test_streamlit_reads_the_same_values():
    from streamlit import config as stconfig

    stconfig.get_config_options(force_reparse=True, options_from_flags={})
    assert stconfig.get_option("server.enableXsrfProtection") is True
    assert stconfig.get_option("server.maxUploadSize") == Limits().max_file_mb
    assert str(stconfig.get_option("client.showErrorDetails")) == "none"


def test_the_server_binds_to_this_machine_only_by_default():
    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert cfg["server"]["address"] == "127.0.0.1"


def test_another_address_without_sign_in_is_refused_unless_anonymous_is_explicit():
    from ui.bootstrap import exposure_check

    assert exposure_check("127.0.0.1", signed_in=False, env={}) is None
    assert exposure_check("0.0.0.0", signed_in=True, env={}) is None
    assert exposure_check("0.0.0.0", signed_in=False, env={}) == "refuse"
    assert exposure_check("", signed_in=False, env={}) == "refuse"  # empty: every interface
    assert exposure_check("0.0.0.0", False, env={"SYNTHREVIEW_ALLOW_ANONYMOUS": "1"}) == "banner"


def test_a_page_on_an_exposed_address_shows_the_one_line_refusal(db_file):
    from streamlit.testing.v1 import AppTest

    from ui.bootstrap import MSG_EXPOSED, _open_store

    # Setup
    _open_store.clear()
    at = AppTest.from_file(str(CONFIG.parents[1] / "pages" / "0_Home.py"), default_timeout=60)
    # Run
    with _option("server.address", "0.0.0.0"):
        at.run()
    # Assert
    assert not at.exception
    assert [e.value for e in at.error] == [MSG_EXPOSED.format(address="0.0.0.0")]
    assert not at.title


def _option(name, value):
    import contextlib

    from streamlit import config as stconfig

    @contextlib.contextmanager
    def patched():
        old = stconfig.get_option(name)
        stconfig.set_option(name, value)
        try:
            yield
        finally:
            stconfig.set_option(name, old)

    return patched()
