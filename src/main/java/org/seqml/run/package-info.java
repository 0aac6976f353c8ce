/** A run of seqml: the validated config, the session, the ds it writes, its provenance stamp. */
package org.seqml.run;
