"""The crawl's politeness settings: the environment's, or the command line's.

  FAZHI_COLLECT_CONTACT    how a site's webmaster reaches you (an e-mail or a web page), sent in the
                           User-Agent "fazhi-collect/<version> (+CONTACT)"; required (or --contact)
  FAZHI_COLLECT_DELAY      least seconds between two requests to one host (default 1); AutoThrottle
                           lengthens it when the server slows down
  FAZHI_COLLECT_MAX_DELAY  longest delay AutoThrottle may reach, in seconds (default 30)
  FAZHI_COLLECT_TIMEOUT    seconds a request may take (default 30)
  FAZHI_COLLECT_RETRIES    tries after a 5xx, 408, 429 or a timeout (default 3)
  FAZHI_COLLECT_BACKOFF    seconds before the first retry, doubled for each next one (default 2)
  FAZHI_COLLECT_MAX_PAGES  list pages followed per source (default 300)
  FAZHI_MAX_FILE_MB        largest file downloaded (default 50, the size `fazhi ingest` reads)

One connection per host, robots.txt always obeyed.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ingest.errors import EXIT_USAGE, FazhiError
from ingest.read import Limits

_CONTACT = re.compile(r"^[^\s()<>\"]{3,200}$")


@dataclass(frozen=True)
class Politeness:
    contact: str
    delay: float = 1.0
    max_delay: float = 30.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_pages: int = 300
    max_bytes: int = 50 * 1024 * 1024

    @property
    def user_agent(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("fazhi")
        except PackageNotFoundError:
            v = "dev"
        return f"fazhi-collect/{v} (+{self.contact})"

    @classmethod
    def from_env(cls, contact: str | None = None, env=None) -> "Politeness":
        env = os.environ if env is None else env
        contact = (contact or env.get("FAZHI_COLLECT_CONTACT") or "").strip()
        if not contact:
            raise FazhiError("say how a site can reach you: --contact EMAIL-OR-URL or FAZHI_COLLECT_CONTACT "
                             "(sent in the User-Agent, as polite crawlers do)", EXIT_USAGE)
        if not _CONTACT.match(contact):
            raise FazhiError(f"--contact must be an e-mail address or a URL without spaces or brackets: {contact!r}",
                             EXIT_USAGE)
        return cls(contact, _num(env, "FAZHI_COLLECT_DELAY", 1.0), _num(env, "FAZHI_COLLECT_MAX_DELAY", 30.0),
                   _num(env, "FAZHI_COLLECT_TIMEOUT", 30.0, low=0.1), int(_num(env, "FAZHI_COLLECT_RETRIES", 3)),
                   _num(env, "FAZHI_COLLECT_BACKOFF", 2.0), int(_num(env, "FAZHI_COLLECT_MAX_PAGES", 300, low=1)),
                   Limits.from_env(env).max_bytes)


def _num(env, name: str, default: float, low: float = 0.0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value >= low or value > 1e6:
        raise FazhiError(f"{name} must be a number of at least {low:g}, not {raw!r}", EXIT_USAGE)
    return value
