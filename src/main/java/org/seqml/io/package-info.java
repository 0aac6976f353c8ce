/** Where outputs live, and how partitions and their manifests are written. */
package org.seqml.io;
