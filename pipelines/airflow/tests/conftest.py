"""Airflow runs from a throwaway AIRFLOW_HOME; the DAGs folder is importable as Airflow makes it."""

import os
import pathlib
import sys
import tempfile

DAGS = pathlib.Path(__file__).resolve().parents[1] / "dags"

os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="seqml-airflow-home-"))
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
sys.path.insert(0, str(DAGS))


def pytest_sessionfinish(session, exitstatus):
    """A skipped DAG test is a test that did not run: fail the build instead."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and session.exitstatus == 0:
        reporter.write_line("airflow tests: skipped tests are not allowed here", red=True)
        session.exitstatus = 1
