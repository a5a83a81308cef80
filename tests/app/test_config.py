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
