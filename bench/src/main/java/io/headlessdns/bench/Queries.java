package io.headlessdns.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DNS queries in wire form for the benchmarks: ID 0x1234, RD set, optionally EDNS0 with 1232 bytes (as dig sends). */
final class Queries {
    private Queries() {
    }

    static byte[] encode(String name, int type, boolean edns) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte) (edns ? 1 : 0)});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
        b.write(type >> 8);
        b.write(type);
        b.write(0);
        b.write(1);
        if (edns) {
            b.writeBytes(new byte[] {0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 0});
        }
        return b.toByteArray();
    }
}
