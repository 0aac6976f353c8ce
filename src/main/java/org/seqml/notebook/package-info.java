/** A Scala-friendly facade for notebooks (Zeppelin %spark): one pipeline phase per call, results as Datasets. */
package org.seqml.notebook;
