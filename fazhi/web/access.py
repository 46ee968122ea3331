"""Who may use the pages, and the guards every request passes.

Reviewers are rows of core.reviewer: a name and a scrypt hash of the password (never the
password), added by `fazhi web --add-reviewer` as the warehouse's owner. A login puts the name
and a CSRF token in the session: a signed cookie (HttpOnly, SameSite=Strict) that expires.
Every POST must carry the token (form field `csrf_token` or header `X-CSRF-Token`), or gets 403.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sqlalchemy import Connection, text
from starlette.exceptions import HTTPException
from starlette.requests import Request

from ingest.errors import EXIT_USAGE, FazhiError

# scrypt at n=2^14, r=8: ~50 ms and 16 MB per check, the interactive-login setting of its paper.
_N, _R, _P = 1 << 14, 8, 1
NAME_PATTERN = r"[^\s\x00-\x1f\x7f]{1,64}"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def check_name(name: str) -> str:
    if not re.fullmatch(NAME_PATTERN, name or ""):
        raise FazhiError(f"a reviewer's name is 1 to 64 characters without spaces, got {name[:70]!r}", EXIT_USAGE)
    return name


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 << 20, dklen=32)
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${_N}${_R}${_P}${b64(salt)}${b64(key)}"


def password_matches(stored: str, password: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 << 20, dklen=32)
    except ValueError:
        return False
    return hmac.compare_digest(got, base64.b64decode(key))


# Checked against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = hash_password(secrets.token_urlsafe(16))


def add_reviewer(conn: Connection, name: str, password: str) -> bool:
    """Add a reviewer or set a new password; True when the name is new."""
    check_name(name)
    if len(password) < 8:
        raise FazhiError("a reviewer's password needs at least 8 characters", EXIT_USAGE)
    new = conn.execute(text("""
        insert into core.reviewer (name, password_hash) values (:n, :h)
        on conflict (name) do update set password_hash = excluded.password_hash, disabled = false
        returning (xmax = 0)"""), {"n": name, "h": hash_password(password)}).scalar()
    return bool(new)


def remove_reviewer(conn: Connection, name: str) -> bool:
    """Disable a reviewer (their corrections keep their name); True when there was one."""
    return bool(conn.execute(text("update core.reviewer set disabled = true where name = :n returning 1"),
                             {"n": name}).first())


def reviewers(conn: Connection) -> list[str]:
    return list(conn.execute(text("select name from core.reviewer where not disabled order by name")).scalars())


def authenticate(conn: Connection, name: str, password: str) -> str | None:
    """The reviewer's name when the password is theirs, else None (in about the same time)."""
    row = conn.execute(text("select name, password_hash from core.reviewer where name = :n and not disabled"),
                       {"n": name[:64]}).first()
    ok = password_matches(row.password_hash if row else _DUMMY, password)
    return row.name if row and ok else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use: the login form needs one too)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request):
    """The POST's form, once its CSRF token matched the session's; 403 otherwise."""
    form = await request.form()
    given = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD) or ""
    expected = request.session.get("csrf") or ""
    if not expected or not isinstance(given, str) or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return form


def reviewer(request: Request) -> str | None:
    return request.session.get("reviewer")
