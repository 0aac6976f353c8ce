/** Distributed training with parameter averaging across Spark executors (DL4J). */
package org.seqml.train;
