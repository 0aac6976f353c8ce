package org.seqml.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A barrier stage's exchange secret and what is proven with it. Every task draws 32 random bytes and shares
 * them through the stage's allGather, which travels over Spark's RPC (authenticated and encrypted when the
 * cluster sets {@code spark.authenticate} and {@code spark.network.crypto.enabled}); the key is the SHA-256
 * of all of them, so only the stage's own tasks hold it. A peer proves it on connecting (HMAC-SHA256 over a
 * fresh nonce of task 0 and its partition), and every message carries an HMAC over its direction, partition,
 * sequence number and bytes, so nothing can be injected, altered, replayed or reordered on the TCP link.
 */
final class ExchangeKey {
  static final int NONCE_BYTES = 32;
  static final int TAG_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] HELLO = "seqml parameter exchange hello".getBytes(StandardCharsets.US_ASCII);
  private final SecretKeySpec key;

  private ExchangeKey(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** This task's share of the secret, as sent through the allGather. */
  static String contribution() {
    return HexFormat.of().formatHex(random(32));
  }

  static byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    RANDOM.nextBytes(out);
    return out;
  }

  /** The stage's key from every task's contribution, in partition order. */
  static ExchangeKey of(String[] contributions) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String c : contributions) {
        sha.update(HexFormat.of().parseHex(c));
      }
      return new ExchangeKey(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** What task {@code partition} answers to task 0's {@code nonce}. */
  byte[] proof(byte[] nonce, int partition) {
    Mac mac = mac();
    mac.update(HELLO);
    mac.update(nonce);
    mac.update(ByteBuffer.allocate(4).putInt(partition).array());
    return mac.doFinal();
  }

  /** A keyed HMAC-SHA256 for one link's messages (not thread-safe: one per link). */
  Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /**
   * Starts a message's tag on {@code mac} (its bytes follow by {@code update}, then {@code doFinal}):
   * {@code toFirst} says its direction, {@code partition} the link's end other than task 0, {@code sequence}
   * its place among the link's messages that way, {@code length} its size.
   */
  static void startTag(Mac mac, boolean toFirst, int partition, long sequence, int length) {
    mac.update(ByteBuffer.allocate(17).put((byte) (toFirst ? 0 : 1)).putInt(partition).putLong(sequence)
        .putInt(length).array());
  }

  /** Constant-time comparison (a timing difference must not tell how much of a guess was right). */
  static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
