"""Encryption at rest: the one place that reads ``SYNTHREVIEW_DB_KEY``.

DuckDB 2.0.1 can encrypt a database file (``ATTACH 'f.duckdb' (ENCRYPTION_KEY '...')``), but
writing an encrypted file needs the OpenSSL crypto of the ``httpfs`` extension; without it DuckDB
refuses ("DuckDB currently has a read-only crypto module loaded ... LOAD httpfs") unless one sets
``force_mbedtls_unsafe``, which DuckDB itself calls not securely encrypted. Extensions cannot be
installed offline in this build, so a key is refused with a clear message rather than ignored.
Keep ``data/`` on an encrypted volume instead (README: "Encryption at rest"). When the extension
can be shipped, the key goes to ``duckdb.connect`` / ``ATTACH ... (ENCRYPTION_KEY ?)`` here.
"""

from __future__ import annotations

import os

from core.errors import UserInputError

KEY_ENV_VAR = "SYNTHREVIEW_DB_KEY"
MSG_NO_ENCRYPTION = (
    "SYNTHREVIEW_DB_KEY is set, but this build of synthreview cannot encrypt the database file: "
    "DuckDB needs its httpfs extension to write encrypted files and it cannot be installed "
    "offline. Unset SYNTHREVIEW_DB_KEY and keep the data folder on an encrypted volume "
    "(LUKS/dm-crypt, FileVault, BitLocker); see the README."
)


def db_key() -> str | None:
    """The database key from the environment, or None when none is set."""
    key = os.environ.get(KEY_ENV_VAR, "")
    return key or None


def check_key() -> None:
    """Refuse to open a database when a key is set that this build cannot use.

    Raises:
        UserInputError: ``SYNTHREVIEW_DB_KEY`` is set (an unencrypted file is never written
            while the user believes it is encrypted).
    """
    if db_key() is not None:
        raise UserInputError(MSG_NO_ENCRYPTION)
