"""The seqml DAGs under real Airflow 3: they load, their graphs are as designed, their templates
render the data interval's partition, and the jar they submit holds the class and pipeline they name."""

import copy
import datetime
import json
import os
import pathlib
import zipfile

import pendulum
import pytest

from conftest import DAGS

PIPELINES = ("ticks", "logs", "bio", "series")
TASKS = ("wait_for_input", "ingest", "window", "should_train", "train", "score", "evaluate", "check_output")
EDGES = {
    "wait_for_input": {"ingest"},
    "ingest": {"window"},
    "window": {"should_train"},
    "should_train": {"train"},
    "train": {"score"},
    "score": {"evaluate"},
    "evaluate": {"check_output"},
    "check_output": set(),
}


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


class Variables:
    """What Airflow puts in the template context as ``var.value``: ``get(key, default)``."""

    def __init__(self, values):
        self.values = values

    def get(self, key, default=None):
        return self.values.get(key, default)


def render(dag, task_id, interval_start, variables=None):
    """Renders a copy of the task as Airflow does before running it (rendering replaces the templates)."""
    task = copy.deepcopy(dag.get_task(task_id))
    start = pendulum.instance(interval_start)
    context = {
        "data_interval_start": start,
        "data_interval_end": start.add(days=1),
        "params": {k: v for k, v in dag.params.items()},
        "var": {"value": Variables(variables or {})},
    }
    task.render_template_fields(context, jinja_env=dag.get_template_env())
    return task


def test_every_dag_loads_without_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == sorted(f"seqml_{p}" for p in PIPELINES)
    # .airflowignore: the factory module is imported by the DAG files, never parsed as one
    assert sorted(pathlib.Path(f).name for f in dagbag.file_last_changed) == sorted(
        f"seqml_{p}.py" for p in PIPELINES)


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_task_graph_is_as_designed(dagbag, pipeline):
    dag = dagbag.dags[f"seqml_{pipeline}"]
    assert set(dag.task_ids) == set(TASKS)
    for task_id, downstream in EDGES.items():
        assert dag.get_task(task_id).downstream_task_ids == downstream, task_id
    assert dag.get_task("score").trigger_rule == "none_failed"  # runs with the published model
    assert dag.get_task("should_train").ignore_downstream_trigger_rules is False
    assert dag.get_task("wait_for_input").mode == "reschedule"


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_schedule_runs_one_at_a_time_with_retries(dagbag, pipeline):
    from airflow.sdk import CronDataIntervalTimetable

    dag = dagbag.dags[f"seqml_{pipeline}"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.max_active_runs == 1
    assert dag.get_task("train").max_active_tis_per_dag == 1
    for task_id in ("ingest", "window", "train", "score", "evaluate"):
        assert dag.get_task(task_id).retries >= 1, task_id
    assert dag.params["retrain"] is False


def test_data_interval_not_run_date_gives_the_partition(dagbag):
    """A run after 2024-03-05 00:00 UTC covers 2024-03-04 and writes ds=2024-03-04."""
    from airflow.timetables.interval import CronDataIntervalTimetable as Scheduling

    dag = dagbag.dags["seqml_ticks"]
    scheduling = Scheduling(dag.timetable.expression, dag.timetable.timezone)
    interval = scheduling.infer_manual_data_interval(run_after=pendulum.datetime(2024, 3, 5, 0, 30, tz="UTC"))
    assert interval.start == pendulum.datetime(2024, 3, 4, tz="UTC")
    task = render(dag, "ingest", interval.start)
    args = task.application_args
    assert args[args.index("--ds") + 1] == "2024-03-04"


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("phase", ("ingest", "window", "train", "score", "evaluate"))
def test_application_args_render_phase_pipeline_env_and_ds(dagbag, pipeline, phase):
    dag = dagbag.dags[f"seqml_{pipeline}"]
    task = render(dag, phase, datetime.datetime(2024, 2, 29, tzinfo=datetime.timezone.utc))
    assert task.submit_args()[:7] == [phase, "--pipeline", pipeline, "--env", "cluster", "--ds", "2024-02-29"]
    assert "output.dir=hdfs:///seqml/out" in task.application_args
    assert task.java_class == "org.seqml.cli.SeqmlMain"
    assert task.conn_id == "spark_default"
    assert task.application == "/opt/seqml/seqml-0.1.0-SNAPSHOT-all.jar"
    assert task.files == "/opt/seqml/conf/log4j2.properties"


def test_variables_override_connection_jar_env_output_and_input(dagbag):
    dag = dagbag.dags["seqml_logs"]
    variables = {"seqml_spark_conn_id": "spark_yarn", "seqml_jar": "/jars/seqml.jar", "seqml_env": "ci",
                 "seqml_out_root": "file:///tmp/out", "seqml_logs_input": "/landing/logs/ds={ds}/"}
    task = render(dag, "ingest", datetime.datetime(2024, 3, 4, tzinfo=datetime.timezone.utc), variables)
    assert task.conn_id == "spark_yarn"
    assert task.application == "/jars/seqml.jar"
    args = task.submit_args()
    assert args[args.index("--env") + 1] == "ci"
    assert "output.dir=file:///tmp/out" in args
    assert args[-2:] == ["--conf", "ingest.path=/landing/logs/ds=2024-03-04/"]
    sensor = render(dag, "wait_for_input", datetime.datetime(2024, 3, 4, tzinfo=datetime.timezone.utc), variables)
    assert sensor.op_kwargs["path"] == "/landing/logs/ds=2024-03-04/"
    check = render(dag, "check_output", datetime.datetime(2024, 3, 4, tzinfo=datetime.timezone.utc), variables)
    assert check.op_kwargs == {"uri": "file:///tmp/out/logs/scores/ds=2024-03-04/_manifest.json",
                               "ds": "2024-03-04"}
    # other phases never get the input path
    assert "ingest.path" not in " ".join(render(dag, "window", datetime.datetime(2024, 3, 4), variables).submit_args())


def test_spark_submit_command_line(dagbag, monkeypatch):
    """The command the provider's hook builds from a rendered task (connection from the environment)."""
    monkeypatch.setenv("AIRFLOW_CONN_SPARK_DEFAULT",
                       json.dumps({"conn_type": "spark", "host": "spark://127.0.0.1", "port": 7077}))
    task = render(dagbag.dags["seqml_ticks"], "train", datetime.datetime(2024, 3, 4, tzinfo=datetime.timezone.utc))
    task._conn_id = task.conn_id
    command = task._get_hook()._build_spark_submit_command(task.application)
    assert command[:3] == ["spark-submit", "--master", "spark://127.0.0.1:7077"]
    assert command[command.index("--class") + 1] == "org.seqml.cli.SeqmlMain"
    assert command[command.index("--properties-file") + 1] == "/opt/seqml/submit/spark-standalone.conf"
    assert command[command.index("--files") + 1] == "/opt/seqml/conf/log4j2.properties"
    jar = command.index("/opt/seqml/seqml-0.1.0-SNAPSHOT-all.jar")
    assert command[jar + 1:jar + 8] == ["train", "--pipeline", "ticks", "--env", "cluster", "--ds", "2024-03-04"]


@pytest.fixture(scope="session")
def jar():
    path = os.environ.get("SEQML_JAR")
    assert path, "SEQML_JAR must name the uber-jar the build produced (set by the Maven build)"
    assert pathlib.Path(path).is_file(), f"no jar at {path}: run mvn package first"
    with zipfile.ZipFile(path) as z:
        return set(z.namelist())


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_java_class_and_pipeline_exist_in_the_built_jar(dagbag, jar, pipeline):
    dag = dagbag.dags[f"seqml_{pipeline}"]
    classes = {dag.get_task(p).java_class for p in ("ingest", "window", "train", "score", "evaluate")}
    for java_class in classes:
        assert java_class.replace(".", "/") + ".class" in jar
    assert "conf/env/cluster.conf" in jar
    # the jar carries the pipeline file the DAG names whenever the repository has it (a DAG may
    # precede its pipeline: bio's DAG was written before pipelines/bio.conf landed)
    in_repository = (DAGS.parents[1] / f"{pipeline}.conf").is_file()
    assert (f"pipelines/{pipeline}.conf" in jar) == in_repository
    if pipeline in ("ticks", "logs"):
        assert in_repository


# ---- the check functions -------------------------------------------------------------------------

from seqml_dag_factory import check_manifest, input_ready, should_train  # noqa: E402


def write_manifest(tmp_path, **rows):
    partition = tmp_path / "scores" / "ds=2024-03-04"
    partition.mkdir(parents=True)
    manifest = {"table": "scores", "pipeline": "ticks", "ds": "2024-03-04", "run_id": "r1", "model_id": "m1",
                "rows": rows, "rows_written": 12, "schema_version": 1}
    (partition / "_manifest.json").write_text(json.dumps(manifest))
    return str(partition / "_manifest.json")


def test_manifest_check_accepts_counts_that_add_up(tmp_path):
    uri = write_manifest(tmp_path, **{"in": 10, "accepted": 8, "rejected": 2})
    assert check_manifest(uri, "2024-03-04")["rows_written"] == 12
    assert check_manifest("file://" + uri, "2024-03-04")["model_id"] == "m1"


def test_manifest_check_rejects_counts_that_do_not_add_up(tmp_path):
    uri = write_manifest(tmp_path, **{"in": 10, "accepted": 8, "rejected": 1})
    with pytest.raises(ValueError, match="rows in 10 != accepted 8 \\+ rejected 1"):
        check_manifest(uri, "2024-03-04")


def test_manifest_check_rejects_missing_counts_wrong_ds_and_absent_manifest(tmp_path):
    uri = write_manifest(tmp_path, **{"in": 10, "accepted": 10})
    with pytest.raises(ValueError, match="no row counts"):
        check_manifest(uri, "2024-03-04")
    with pytest.raises(ValueError, match="expected 2024-03-05"):
        check_manifest(uri, "2024-03-05")
    with pytest.raises(ValueError, match="no manifest"):
        check_manifest(str(tmp_path / "absent" / "_manifest.json"), "2024-03-04")


def test_input_check_waits_for_a_partition_with_files(tmp_path):
    partition = tmp_path / "ds=2024-03-04"
    assert input_ready(str(partition)) is False
    partition.mkdir()
    (partition / "_SUCCESS").write_text("")
    assert input_ready(str(partition)) is False  # only markers
    (partition / "part-0.csv.gz").write_bytes(b"x")
    assert input_ready(str(partition)) is True
    assert input_ready("") is True  # the pipeline's own source


def test_training_gate(tmp_path):
    monday = datetime.datetime(2024, 3, 4, tzinfo=datetime.timezone.utc)
    model = tmp_path / "metadata.json"
    assert should_train("False", monday, 6, str(model)) is True  # no model yet
    model.write_text("{}")
    assert should_train("False", monday, 6, str(model)) is False
    assert should_train("True", monday, 6, str(model)) is True
    assert should_train("False", "2024-03-10 00:00:00+00:00", 6, str(model)) is True  # Sunday
