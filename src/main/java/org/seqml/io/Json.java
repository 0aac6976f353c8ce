package org.seqml.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
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

  /** Publishes the document atomically ({@link AtomicPublish}): readers never see half of it. */
  public static void write(String path, JsonNode node, Configuration hadoop) {
    try {
      byte[] text = (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
      AtomicPublish.file(path, text, hadoop);
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
