/** The seqml command line (picocli): run, ingest, window, train, score, evaluate, config. */
package org.seqml.cli;
