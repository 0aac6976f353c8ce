package org.seqml.ingest.logs;

import java.io.Serializable;

/** One Drain log group while mining: its current template and how many lines joined it. */
final class LogCluster implements Serializable {
  private static final long serialVersionUID = 1L;

  final int index;
  String[] template;
  long size;

  LogCluster(int index, String[] template) {
    this.index = index;
    this.template = template;
  }
}
