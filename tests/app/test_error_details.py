"""The app never shows error details (paths, SQL, values) in the page: the setting Streamlit reads says so."""

from __future__ import annotations

import subprocess
import sys

from ctatracker.config import PROJECT_ROOT


def test_streamlit_started_from_the_project_hides_error_details() -> None:
    # `make run` and the browser tests start Streamlit in the project folder, where .streamlit/config.toml lives
    code = ("import streamlit.config as c; c.get_config_options(force_reparse=True); "
            "print(c.get_option('client.showErrorDetails'))")
    shown = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           timeout=60, check=True).stdout.strip()
    assert shown == "none"
