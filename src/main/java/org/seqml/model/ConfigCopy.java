package org.seqml.model;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Copies a DL4J layer configuration into seqml's subclass of it (DL4J's builder constructors are private). */
final class ConfigCopy {
  private ConfigCopy() {}

  /** Every instance field of {@code from} declared in {@code type} and its superclasses, into {@code to}. */
  static <T, S extends T> S into(T from, S to, Class<T> type) {
    for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        try {
          field.setAccessible(true);
          field.set(to, field.get(from));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot copy " + type.getSimpleName() + " field " + field, e);
        }
      }
    }
    return to;
  }
}
