package org.seqml.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expands an input path (file, folder or glob) into its data files, sorted, hidden files skipped. */
public final class InputFiles {
  private InputFiles() {}

  public static List<String> list(String path, Configuration hadoop) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new InputError(path, 0, "no such file or folder");
      }
      List<String> files = new ArrayList<>();
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          for (FileStatus child : fs.listStatus(match.getPath())) {
            String name = child.getPath().getName();
            if (child.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
              files.add(child.getPath().toString());
            }
          }
        } else {
          files.add(match.getPath().toString());
        }
      }
      if (files.isEmpty()) {
        throw new InputError(path, 0, "folder holds no data files");
      }
      files.sort(String::compareTo);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }
}
