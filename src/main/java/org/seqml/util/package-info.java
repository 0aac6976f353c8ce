/** Small helpers shared by stages. */
package org.seqml.util;
