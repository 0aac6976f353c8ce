/** The run report: an offline HTML page with loss curves, metrics beside baselines, and a task picture. */
package org.seqml.report;
