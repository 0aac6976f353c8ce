"""Airflow DAG: seqml bio: FASTA/FASTQ sequences (pipelines/bio.conf), daily; retrains weekly or on demand."""

from seqml_dag_factory import seqml_dag

dag = seqml_dag("bio")
