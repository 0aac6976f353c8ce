/**
 * The series domain's ingest: any keyed time-series table (Parquet, CSV, JSON, ORC or a catalog table)
 * read by column roles (key, time, target, past covariates) into rows of one schema, with rejects.
 */
package org.seqml.ingest.series;
