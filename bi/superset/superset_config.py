"""Superset's configuration for the fazhi dashboard (read through SUPERSET_CONFIG_PATH).

Everything Superset keeps lives in FAZHI_SUPERSET_STATE (made by dashboard.py): its metadata
store (SQLite; Superset's own bookkeeping, not the warehouse) and the secret key that encrypts
the warehouse password stored there.
"""
import os
from pathlib import Path

STATE = Path(os.environ["FAZHI_SUPERSET_STATE"])

SECRET_KEY = (STATE / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{STATE / 'superset.db'}"
DATA_DIR = str(STATE)

# Chinese interface, English available: the dashboard's labels are Chinese anyway.
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {"zh": {"flag": "cn", "name": "Chinese"}, "en": {"flag": "us", "name": "English"}}

FEATURE_FLAGS = {
    # Render every chart, not only those scrolled into view: the PNG shows the whole page.
    "DASHBOARD_VIRTUALIZATION": False,
}
