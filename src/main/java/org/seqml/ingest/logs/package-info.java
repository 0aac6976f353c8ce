/**
 * Raw log lines to event templates: {@link org.seqml.ingest.logs.LogFormat} splits a line into
 * header fields and content, {@link org.seqml.ingest.logs.Masking} replaces known variables by
 * {@code <*>} and tokenizes, {@link org.seqml.ingest.logs.Drain} mines templates after He et al.
 * (Drain, ICWS 2017) into an immutable {@link org.seqml.ingest.logs.TemplateSet} that matches any
 * line, and {@link org.seqml.ingest.logs.GroupingAccuracy} scores a parse against ground truth after
 * Zhu et al. (ICSE-SEIP 2019). Nothing here needs Spark; everything a task carries is serializable.
 */
package org.seqml.ingest.logs;
