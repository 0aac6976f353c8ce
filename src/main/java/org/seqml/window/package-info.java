/** Per-key ordered sliding windows, time-ordered splits and scalers fitted on the training split. */
package org.seqml.window;
