package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.seqml.util.Refusal;

/**
 * Model and checkpoint zips are never read with Java object deserialization: a network's own zip restores;
 * one that also carries a serialized object (where DL4J's restore would deserialize it) is refused before
 * DL4J opens it, and the object's readObject never runs.
 */
class ModelZipTest {
  /** Set when an instance is deserialized: what a gadget chain would do instead. */
  static volatile boolean tripped;

  static final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      tripped = true;
    }
  }

  private static byte[] withEntry(byte[] zip, String name, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream copy = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        copy.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(copy);
        copy.closeEntry();
      }
      copy.putNextEntry(new ZipEntry(name));
      copy.write(content);
      copy.closeEntry();
    }
    return out.toByteArray();
  }

  @Test
  void aZipCarryingASerializedObjectIsRefusedUnread() throws IOException {
    ComputationGraph net = ModelFactory.forecaster(ModelFamiliesTest.model("lstm"), 3, 6, 2);
    byte[] zip = Networks.bytes(net, true);
    Networks.release(Networks.restore(zip, true)); // the network's own zip restores
    ByteArrayOutputStream object = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(object)) {
      out.writeObject(new Tripwire());
    }
    tripped = false;
    byte[] crafted = withEntry(zip, "preprocessor.bin", object.toByteArray());
    Refusal refused = assertThrows(Refusal.class, () -> Networks.restore(crafted, false));
    assertTrue(refused.getMessage().contains("preprocessor.bin"), refused.getMessage());
    assertFalse(tripped, "the serialized object was deserialized");
  }
}
