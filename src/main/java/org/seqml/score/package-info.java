/**
 * Broadcast-free batch scoring. Spark 3.3+ closes AutoCloseable broadcast values, and an INDArray
 * is one, so the model travels as serialized bytes and each partition restores its own network.
 */
package org.seqml.score;
