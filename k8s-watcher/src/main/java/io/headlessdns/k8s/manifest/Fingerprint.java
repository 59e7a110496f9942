package io.headlessdns.k8s.manifest;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A 128-bit digest (SHA-256, truncated) of a model record: equal for equal records, different for
 * different ones but with a probability of 2^-128, so the manifest source can tell what changed without
 * keeping what it delivered.
 *
 * <p>Design note: the digest covers every component of the record, found by reflection, so a component
 * added to the model later is covered without touching this class. Each value is written with a type tag,
 * and strings and lists with their lengths, so different values never write the same bytes (the records'
 * text form would: a string may hold ", "). A type it does not know is refused rather than skipped.
 */
record Fingerprint(long high, long low) {

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LIST = 2;
    private static final byte RECORD = 3;
    private static final byte INT = 4;
    private static final byte BOOLEAN = 5;
    private static final byte ENUM = 6;
    private static final byte INSTANT = 7;

    /** A digester with its reusable buffer; one per thread that fingerprints (not thread-safe). */
    static final class Digester {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        private final DataOutputStream out = new DataOutputStream(bytes);
        private final MessageDigest sha;
        /** Each record class's component accessors: looked up once, not per record. */
        private final Map<Class<?>, Method[]> accessors = new HashMap<>();

        Digester() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        Fingerprint of(Record r) {
            bytes.reset();
            try {
                write(r);
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory", e);
            }
            byte[] digest = sha.digest(bytes.toByteArray());
            ByteBuffer b = ByteBuffer.wrap(digest);
            return new Fingerprint(b.getLong(), b.getLong());
        }

        private void write(Object o) throws IOException {
            if (o == null) {
                out.writeByte(NULL);
            } else if (o instanceof String s) {
                out.writeByte(STRING);
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            } else if (o instanceof List<?> list) {
                out.writeByte(LIST);
                out.writeInt(list.size());
                for (Object e : list) {
                    write(e);
                }
            } else if (o instanceof Record r) {
                out.writeByte(RECORD);
                for (Method accessor : accessors.computeIfAbsent(r.getClass(), Digester::accessors)) {
                    write(component(r, accessor));
                }
            } else if (o instanceof Integer i) {
                out.writeByte(INT);
                out.writeInt(i);
            } else if (o instanceof Boolean b) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            } else if (o instanceof Enum<?> e) {
                out.writeByte(ENUM);
                out.writeInt(e.ordinal());
            } else if (o instanceof Instant t) {
                out.writeByte(INSTANT);
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            } else {
                throw new IllegalArgumentException("no fingerprint for a " + o.getClass().getName());
            }
        }

        private static Method[] accessors(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] out = new Method[components.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = components[i].getAccessor();
            }
            return out;
        }

        private static Object component(Record r, Method accessor) {
            try {
                return accessor.invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("reading " + r.getClass().getSimpleName() + "." + accessor.getName(), e);
            }
        }
    }
}
