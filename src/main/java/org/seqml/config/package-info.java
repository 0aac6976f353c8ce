/** Layered HOCON configuration parsed into immutable, validated records before Spark starts. */
package org.seqml.config;
