"""Airflow DAG: seqml logs: application logs to a DeepLog-style next-event anomaly detector (pipelines/logs.conf), daily; retrains weekly or on demand."""

from seqml_dag_factory import seqml_dag

dag = seqml_dag("logs")
