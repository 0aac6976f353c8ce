package org.seqml.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one way seqml publishes a file or a folder: written complete under a hidden temporary sibling,
 * then renamed into place, so a reader sees the old version or the new one, never half of one. A
 * replaced folder is moved aside before the rename and removed after it; if the process dies in
 * between, the old version is still there, beside the new one's hidden temporary.
 */
public final class AtomicPublish {
  private AtomicPublish() {}

  /** Publishes {@code bytes} as the file {@code path}, replacing it. */
  public static void file(String path, byte[] bytes, Configuration hadoop) {
    try {
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(hadoop);
      fs.mkdirs(target.getParent());
      Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + System.nanoTime());
      write(fs, temp, bytes);
      // Hadoop's rename does not replace a file: the old one goes first (readers may find none for a moment).
      fs.delete(target, false);
      if (!fs.rename(temp, target)) {
        fs.delete(temp, false);
        throw new IOException("cannot rename " + temp + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Publishes {@code files} (name to content) as the folder {@code dir}, replacing it whole. */
  public static void folder(String dir, Map<String, byte[]> files, Configuration hadoop) {
    try {
      Path target = new Path(dir);
      FileSystem fs = target.getFileSystem(hadoop);
      long stamp = System.nanoTime();
      Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + stamp);
      fs.mkdirs(temp);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        write(fs, new Path(temp, f.getKey()), f.getValue());
      }
      Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + stamp);
      if (fs.exists(target) && !fs.rename(target, old)) {
        fs.delete(temp, true);
        throw new IOException("cannot move the previous version aside: " + target);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("cannot publish " + temp + " as " + target);
      }
      fs.delete(old, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + dir, e);
    }
  }

  private static void write(FileSystem fs, Path path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(bytes);
    }
  }
}
