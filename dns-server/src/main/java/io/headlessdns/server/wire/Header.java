package io.headlessdns.server.wire;

/** Offsets and bits of the 12-byte DNS header (RFC 1035 4.1.1). */
public final class Header {
    public static final int LENGTH = 12;
    public static final int OFFSET_FLAGS = 2;
    public static final int OFFSET_QDCOUNT = 4;
    public static final int OFFSET_ANCOUNT = 6;
    public static final int OFFSET_NSCOUNT = 8;
    public static final int OFFSET_ARCOUNT = 10;

    public static final int QR = 0x8000;
    public static final int OPCODE_MASK = 0x7800;
    public static final int AA = 0x0400;
    public static final int TC = 0x0200;
    public static final int RD = 0x0100;
    public static final int RA = 0x0080;
    public static final int AD = 0x0020;
    public static final int CD = 0x0010;

    /** The standard query opcode. */
    public static final int OPCODE_QUERY = 0;

    /** UDP payload without EDNS (RFC 1035 4.2.1). */
    public static final int CLASSIC_UDP_PAYLOAD = 512;
    /** The EDNS payload size this server advertises and caps at (DNS flag day 2020). */
    public static final int EDNS_UDP_PAYLOAD = 1232;

    public static final int CLASS_IN = 1;
    public static final int CLASS_CH = 3;

    private Header() {
    }

    public static int opcode(int flags) {
        return (flags & OPCODE_MASK) >>> 11;
    }
}
