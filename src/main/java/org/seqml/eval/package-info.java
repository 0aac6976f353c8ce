/** Metrics per task, always beside naive baselines. */
package org.seqml.eval;
