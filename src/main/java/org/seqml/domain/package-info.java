/**
 * Domains: ticks, logs and bio. Each turns raw input into accepted records and rejects, then into a
 * {@link org.seqml.task.SequenceSet} with explicit column roles, and names the tasks it supports.
 */
package org.seqml.domain;
