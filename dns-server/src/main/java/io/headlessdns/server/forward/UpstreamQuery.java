package io.headlessdns.server.forward;

import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import java.nio.ByteBuffer;

/**
 * The query sent upstream: a fresh random ID, RD, the question in lower case, and an OPT record
 * offering {@link Header#EDNS_UDP_PAYLOAD} bytes with the client's DO bit (so the answer can be cached
 * for every client asking with that bit). Larger answers come with TC and are fetched over TCP.
 */
final class UpstreamQuery {
    private UpstreamQuery() {
    }

    static byte[] encode(int id, byte[] lowerName, int nameLength, int qtype, int qclass, boolean dnssecOk) {
        ByteBuffer b = ByteBuffer.allocate(Header.LENGTH + nameLength + 4 + 11);
        b.putShort((short) id).putShort((short) Header.RD).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 1);
        b.put(lowerName, 0, nameLength).putShort((short) qtype).putShort((short) qclass);
        b.put((byte) 0).putShort((short) RecordType.OPT).putShort((short) Header.EDNS_UDP_PAYLOAD).put((byte) 0).put((byte) 0)
                .putShort((short) (dnssecOk ? 0x8000 : 0)).putShort((short) 0);
        return b.array();
    }

    static int id(byte[] message) {
        return (message[0] & 0xff) << 8 | (message[1] & 0xff);
    }
}
