"""Airflow DAG: seqml ticks: market ticks to a multi-horizon LSTM forecaster (pipelines/ticks.conf), daily; retrains weekly or on demand."""

from seqml_dag_factory import seqml_dag

dag = seqml_dag("ticks")
