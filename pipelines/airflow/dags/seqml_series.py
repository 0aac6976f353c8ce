"""Airflow DAG: seqml series: a keyed time-series table (pipelines/series.conf), daily; retrains weekly or on demand."""

from seqml_dag_factory import seqml_dag

dag = seqml_dag("series")
