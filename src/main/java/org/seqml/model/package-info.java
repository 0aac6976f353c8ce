/** Network architectures built from the model config, window tensors, and the model artifact. */
package org.seqml.model;
