"""Requests to the process that owns the database, from another process on the same machine.

DuckDB lets one process open a database file for writing, and while it has the file open no other
process can even read it. So ``jobs cancel`` and ``jobs list`` run in a second process (the CLI
while the app runs) drop a small JSON request into a folder beside the database
(``<database>.requests/``); the owner's job manager watches that folder (twice a second), claims
each request by renaming it, acts on it, and writes the answer beside it; the asking process waits
for the answer for a bounded time and then says what it knows.

Only the owner writes the database; a request never touches it.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

SUFFIX = ".requests"
CANCEL, LIST = "cancel", "list"
ACTIONS = (CANCEL, LIST)
DEFAULT_TIMEOUT_S = 30.0

MSG_NO_ANSWER = (
    "The database '{path}' is in use by another process, and that process did not answer within "
    "{seconds:.0f} s (it may be busy or an older version). {what}"
)


def folder(db_path: str | Path) -> Path:
    """The request folder of a database file."""
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


def _write_atomic(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, default=str), encoding="utf-8")
    os.replace(tmp, path)


def ask(db_path: str | Path, action: str, payload: dict[str, Any],
        timeout: float = DEFAULT_TIMEOUT_S, poll: float = 0.1) -> dict[str, Any] | None:
    """Send ``action`` to the owner of ``db_path``; its answer, or None when none came in time.

    A request that no one claimed in time is withdrawn (so it cannot act later, unseen).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown request {action!r}")
    box = folder(db_path)
    box.mkdir(parents=True, exist_ok=True)
    nonce = uuid.uuid4().hex[:12]
    request = box / f"req-{nonce}.json"
    answer = box / f"ans-{nonce}.json"
    _write_atomic(request, {"action": action, "pid": os.getpid(), "at": time.time(), **payload})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer.exists():
            try:
                data = json.loads(answer.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                time.sleep(poll)
                continue
            answer.unlink(missing_ok=True)
            return data
        time.sleep(poll)
    try:
        request.unlink()  # not claimed: withdraw it
    except FileNotFoundError:
        # claimed but not answered yet: give the owner a last moment
        for _ in range(int(5 / poll)):
            if answer.exists():
                data = json.loads(answer.read_text(encoding="utf-8"))
                answer.unlink(missing_ok=True)
                return data
            time.sleep(poll)
    return None


def claim(db_path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """The owner's side: take every waiting request (nonce, request); each is claimed once."""
    box = folder(db_path)
    if not box.is_dir():
        return []
    out = []
    for path in sorted(box.glob("req-*.json")):
        nonce = path.stem[len("req-"):]
        claimed = box / f"claimed-{nonce}.json"
        try:
            os.replace(path, claimed)  # atomic: a second watcher finds nothing
        except FileNotFoundError:
            continue
        try:
            data = json.loads(claimed.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"action": None}
        claimed.unlink(missing_ok=True)
        out.append((nonce, data))
    return out


def reply(db_path: str | Path, nonce: str, answer: dict[str, Any]) -> None:
    """The owner's answer to request ``nonce``."""
    _write_atomic(folder(db_path) / f"ans-{nonce}.json", answer)
