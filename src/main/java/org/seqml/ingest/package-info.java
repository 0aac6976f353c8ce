/** Raw input to accepted records plus rejects with a reason; input = accepted + rejected. */
package org.seqml.ingest;
