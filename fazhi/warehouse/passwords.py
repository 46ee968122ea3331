"""Generated passwords and the SCRAM-SHA-256 verifiers Postgres stores for them.

Roles get their password as a verifier computed here, so the clear text never reaches the server
(not even its log, which records a failing statement in full).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from ingest.errors import EXIT_USAGE, FazhiError


def new_password() -> str:
    return secrets.token_urlsafe(24)  # 192 bits, URL-safe: no quoting needed in URLs or pgpass


def check_password(password: str) -> str:
    # Postgres runs non-ASCII passwords through SASLprep before hashing; ASCII needs no such step.
    if not password or not all(" " < ch < "\x7f" for ch in password):
        raise FazhiError("a password must be printable ASCII without spaces", EXIT_USAGE)
    return password


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The `SCRAM-SHA-256$...` string `ALTER ROLE ... PASSWORD` accepts as an already hashed password."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", check_password(password).encode(), salt, iterations)
    stored_key = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
