/** The phases of a run (ingest, window, train, score, evaluate) and what they share. */
package org.seqml.pipeline;
