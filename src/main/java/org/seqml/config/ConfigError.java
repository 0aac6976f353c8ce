package org.seqml.config;

/** An invalid or missing setting; the message names the key, the value and where it was set. */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }
}
