"""Builds the seqml DAGs (one per pipeline) for Airflow 3 with the Apache Spark provider.

Every DAG runs the seqml uber-jar through spark-submit, one phase per task, for the partition of its
data interval (``--ds {{ data_interval_start | ds }}``, never the run date):

    wait_for_input >> ingest >> window >> should_train >> train >> score >> evaluate >> check_output

``should_train`` lets ``train`` run on the training weekday, when the run's ``retrain`` param is
true, or when no model is published yet; otherwise ``train`` is skipped and ``score`` uses the
published model. ``check_output`` fails the run unless the scores partition has a manifest whose
counts add up (in = accepted + rejected).

Airflow Variables read at run time (templated, so parsing stays free of database calls):

==========================  ===========================================  ===============================
Variable                    default                                      meaning
==========================  ===========================================  ===============================
seqml_spark_conn_id         spark_default                                Spark connection (master, queue)
seqml_jar                   /opt/seqml/seqml-0.1.0-SNAPSHOT-all.jar       the uber-jar spark-submit runs
seqml_spark_properties      /opt/seqml/submit/spark-standalone.conf       --properties-file ('' = none)
seqml_log4j2                /opt/seqml/conf/log4j2.properties             shipped with --files
seqml_env                   cluster                                      --env layer
seqml_out_root              hdfs:///seqml/out                            --conf output.dir (also read by
                                                                          the checks)
seqml_<pipeline>_input      '' (the pipeline's own configured source)    input path; '{ds}' is replaced
                                                                          by the partition date
==========================  ===========================================  ===============================
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import shutil
import subprocess
from typing import Any

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.python import PythonOperator, ShortCircuitOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG, CronDataIntervalTimetable, Param

LOG = logging.getLogger(__name__)

JAVA_CLASS = "org.seqml.cli.SeqmlMain"
PHASES = ("ingest", "window", "train", "score", "evaluate")
DS = "{{ data_interval_start | ds }}"

DEFAULTS = {
    "seqml_spark_conn_id": "spark_default",
    "seqml_jar": "/opt/seqml/seqml-0.1.0-SNAPSHOT-all.jar",
    "seqml_spark_properties": "/opt/seqml/submit/spark-standalone.conf",
    "seqml_log4j2": "/opt/seqml/conf/log4j2.properties",
    "seqml_env": "cluster",
    "seqml_out_root": "hdfs:///seqml/out",
}


def var(name: str, default: str | None = None) -> str:
    """A Jinja expression reading an Airflow Variable at run time, with its documented default."""
    value = DEFAULTS[name] if default is None else default
    return "{{ var.value.get('%s', '%s') }}" % (name, value)


class SeqmlSparkSubmitOperator(SparkSubmitOperator):
    """spark-submit of one seqml phase.

    Adds two templated fields the provider lacks: ``conn_id`` (so the Spark connection can come from a
    Variable) and ``input_path`` (appended as ``--conf ingest.path=...`` only when set, so a pipeline
    that generates or configures its own input keeps it).
    """

    template_fields = (*SparkSubmitOperator.template_fields, "conn_id", "input_path")

    def __init__(self, *, conn_id: str, input_path: str = "", **kwargs: Any) -> None:
        super().__init__(conn_id=conn_id, **kwargs)
        self.conn_id = conn_id
        self.input_path = input_path

    @property
    def java_class(self) -> str:
        return self._java_class

    def submit_args(self) -> list[str]:
        """The seqml command line after rendering (what spark-submit passes to the jar)."""
        args = list(self.application_args)
        if self.input_path:
            args += ["--conf", f"ingest.path={self.input_path}"]
        return args

    def execute(self, context: Any) -> None:
        self._conn_id = self.conn_id  # rendered from the Variable; the hook reads _conn_id
        self.application_args = self.submit_args()
        super().execute(context)


# ---- checks (plain functions: unit-tested without Airflow running) -------------------------------

def _is_local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file://")


def _local(uri: str) -> str:
    return uri[len("file://"):] if uri.startswith("file://") else uri


def _hdfs(*args: str) -> subprocess.CompletedProcess:
    if shutil.which("hdfs") is None:
        raise RuntimeError(f"'hdfs' is not on PATH: cannot read {args[-1]} (install the Hadoop client on the worker)")
    return subprocess.run(["hdfs", "dfs", *args], capture_output=True, text=True, check=False)


def path_exists(uri: str) -> bool:
    """True if a local, file:// or Hadoop (hdfs://, s3a://, ...) path exists."""
    if _is_local(uri):
        return os.path.exists(_local(uri))
    return _hdfs("-test", "-e", uri).returncode == 0


def read_text(uri: str) -> str:
    if _is_local(uri):
        with open(_local(uri), encoding="utf-8") as f:
            return f.read()
    done = _hdfs("-cat", uri)
    if done.returncode != 0:
        raise FileNotFoundError(f"{uri}: {done.stderr.strip()}")
    return done.stdout


def input_ready(path: str) -> bool:
    """Sensor callable: the input partition exists (a folder must hold a visible file)."""
    if not path:
        LOG.info("no input path set: the pipeline reads its configured source (or generates it)")
        return True
    if not path_exists(path):
        LOG.info("input %s not there yet", path)
        return False
    if _is_local(path) and os.path.isdir(_local(path)):
        visible = [n for n in os.listdir(_local(path)) if not n.startswith((".", "_"))]
        LOG.info("input %s holds %d files", path, len(visible))
        return bool(visible)
    return True


def partition_manifest(out_root: str, pipeline: str, table: str, ds: str) -> str:
    return f"{out_root.rstrip('/')}/{pipeline}/{table}/ds={ds}/_manifest.json"


def check_manifest(uri: str, ds: str) -> dict:
    """Fails unless the manifest exists, names ds, and its rows add up: in = accepted + rejected."""
    if not path_exists(uri):
        raise ValueError(f"no manifest {uri}: the partition is missing or incomplete")
    manifest = json.loads(read_text(uri))
    if manifest.get("ds") != ds:
        raise ValueError(f"{uri} is for ds={manifest.get('ds')}, expected {ds}")
    rows = manifest.get("rows") or {}
    try:
        n_in, accepted, rejected = int(rows["in"]), int(rows["accepted"]), int(rows["rejected"])
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{uri} has no row counts in/accepted/rejected: {rows}") from e
    if n_in != accepted + rejected or min(n_in, accepted, rejected) < 0:
        raise ValueError(f"{uri}: rows in {n_in} != accepted {accepted} + rejected {rejected}")
    if int(manifest.get("rows_written", -1)) < 0:
        raise ValueError(f"{uri} has no rows_written")
    LOG.info("%s ok: in=%d accepted=%d rejected=%d written=%s model=%s", uri, n_in, accepted, rejected,
             manifest["rows_written"], manifest.get("model_id"))
    return {"in": n_in, "accepted": accepted, "rejected": rejected, "rows_written": manifest["rows_written"],
            "model_id": manifest.get("model_id"), "run_id": manifest.get("run_id")}


def should_train(retrain: Any, interval_start: Any, train_weekday: int, model_metadata: str) -> bool:
    """Train when asked (param retrain), on the training weekday, or when no model is published yet."""
    if not isinstance(interval_start, datetime.datetime):  # templates render to text
        interval_start = datetime.datetime.fromisoformat(str(interval_start))
    if str(retrain).lower() in ("true", "1", "yes"):
        LOG.info("retrain requested")
        return True
    if interval_start.weekday() == train_weekday:
        LOG.info("training day (weekday %d)", train_weekday)
        return True
    if not path_exists(model_metadata):
        LOG.info("no published model at %s: training", model_metadata)
        return True
    LOG.info("scoring with the published model; set the param retrain=true to train")
    return False


# ---- the DAG -------------------------------------------------------------------------------------

def seqml_dag(pipeline: str, *, schedule: str = "@daily", train_weekday: int = 6,
              start_date: datetime.datetime = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
              input_default: str = "", retries: int = 2, tags: tuple[str, ...] = ()) -> DAG:
    """The DAG ``seqml_<pipeline>``: one spark-submit per phase for the data interval's partition.

    ``schedule`` is a cron expression for a CronDataIntervalTimetable (a run covers [start, end) and
    runs after end); ``train_weekday`` (0 = Monday) is the interval weekday that retrains;
    ``input_default`` is the default of the Variable ``seqml_<pipeline>_input``.
    """
    input_var = f"seqml_{pipeline.replace('-', '_')}_input"
    # the Variable holds a path with '{ds}' for the partition date, e.g. /data/ticks/ds={ds}
    input_template = "{{ var.value.get('%s', '%s') | replace('{ds}', data_interval_start | ds) }}" % (
        input_var, input_default)
    out_root = var("seqml_out_root")

    dag = DAG(
        dag_id=f"seqml_{pipeline.replace('-', '_')}",
        description=f"seqml {pipeline}: ingest, window, train (on schedule), score, evaluate",
        schedule=CronDataIntervalTimetable(schedule, timezone="UTC"),
        start_date=start_date,
        catchup=False,
        max_active_runs=1,  # phases of one pipeline share its model/ and checkpoints/
        default_args={"retries": retries, "retry_delay": datetime.timedelta(minutes=10),
                      "retry_exponential_backoff": True},
        params={"retrain": Param(False, type="boolean", description="train even when it is not the training day")},
        tags=["seqml", pipeline, *tags],
        doc_md=__doc__,
    )
    with dag:
        wait = PythonSensor(
            task_id="wait_for_input",
            python_callable=input_ready,
            op_kwargs={"path": input_template},
            mode="reschedule", poke_interval=300, timeout=6 * 3600,
        )
        spark = {}
        for phase in PHASES:
            spark[phase] = SeqmlSparkSubmitOperator(
                task_id=phase,
                conn_id=var("seqml_spark_conn_id"),
                application=var("seqml_jar"),
                java_class=JAVA_CLASS,
                name=f"seqml-{pipeline}-{phase}-{DS}",
                application_args=[phase, "--pipeline", pipeline, "--env", var("seqml_env"), "--ds", DS,
                                  "--conf", f"output.dir={out_root}"],
                input_path=input_template if phase == "ingest" else "",
                properties_file=var("seqml_spark_properties"),
                files=var("seqml_log4j2"),
                # training is not idempotent in cost: one at a time, and one retry
                max_active_tis_per_dag=1 if phase == "train" else None,
                retries=1 if phase == "train" else retries,
                # runs when train was skipped (published model) but not when it failed
                trigger_rule="none_failed" if phase == "score" else "all_success",
            )
        gate = ShortCircuitOperator(
            task_id="should_train",
            python_callable=should_train,
            op_kwargs={"retrain": "{{ params.retrain }}", "interval_start": "{{ data_interval_start }}",
                       "train_weekday": train_weekday,
                       "model_metadata": f"{out_root}/{pipeline}/model/metadata.json"},
            ignore_downstream_trigger_rules=False,  # skip train only; score still runs
        )
        check = PythonOperator(
            task_id="check_output",
            python_callable=check_manifest,
            op_kwargs={"uri": partition_manifest(out_root, pipeline, "scores", DS), "ds": DS},
            retries=0,
        )
        wait >> spark["ingest"] >> spark["window"] >> gate >> spark["train"] >> spark["score"]
        spark["score"] >> spark["evaluate"] >> check
    return dag
