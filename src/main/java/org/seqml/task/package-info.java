/**
 * Tasks: forecast, next-event anomaly detection, classify and next-token. Each trains, scores and
 * evaluates a {@link org.seqml.task.SequenceSet} of its kind and knows no domain.
 */
package org.seqml.task;
