/**
 * Market ticks: LOBSTER order-book files, generic trades/quotes tables and a built-in generator,
 * all turned into rows of {@link org.seqml.ingest.ticks.TickSchema}, then per-symbol features.
 */
package org.seqml.ingest.ticks;
