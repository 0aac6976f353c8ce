package org.seqml.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** JSON documents read and written through Hadoop's FileSystem, so local paths and HDFS both work. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Writes to a temporary sibling first, then renames, so readers never see half a document. */
  public static void write(String path, JsonNode node, Configuration hadoop) {
    try {
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(hadoop);
      Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      try (OutputStream out = fs.create(temp, true)) {
        out.write(MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("cannot rename " + temp + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  public static JsonNode read(String path, Configuration hadoop) {
    try {
      Path source = new Path(path);
      FileSystem fs = source.getFileSystem(hadoop);
      try (InputStream in = fs.open(source)) {
        return MAPPER.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  public static boolean exists(String path, Configuration hadoop) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(hadoop).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
