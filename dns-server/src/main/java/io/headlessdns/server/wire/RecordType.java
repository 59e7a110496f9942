package io.headlessdns.server.wire;

/** DNS RR TYPE values this server knows (RFC 1035 3.2.2, RFC 3596, RFC 2782, RFC 6891). */
public final class RecordType {
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int OPT = 41;
    public static final int IXFR = 251;
    public static final int AXFR = 252;
    public static final int ANY = 255;

    /** Types a node can hold, in the order a minimal ANY answer (RFC 8482) prefers them. */
    static final int[] STORED = {A, AAAA, CNAME, SRV, PTR, TXT, SOA, NS};

    /** Number of slots in a node's per-type answer array. */
    public static final int SLOTS = STORED.length;

    private RecordType() {
    }

    /** Slot of a stored type in a node's answer array, or -1 for a type no node holds. */
    public static int slot(int type) {
        switch (type) {
            case A: return 0;
            case AAAA: return 1;
            case CNAME: return 2;
            case SRV: return 3;
            case PTR: return 4;
            case TXT: return 5;
            case SOA: return 6;
            case NS: return 7;
            default: return -1;
        }
    }

    /** The type stored in a slot: the inverse of {@link #slot}. */
    public static int typeOfSlot(int slot) {
        return STORED[slot];
    }

    public static String name(int type) {
        switch (type) {
            case A: return "A";
            case NS: return "NS";
            case CNAME: return "CNAME";
            case SOA: return "SOA";
            case PTR: return "PTR";
            case TXT: return "TXT";
            case AAAA: return "AAAA";
            case SRV: return "SRV";
            case OPT: return "OPT";
            case IXFR: return "IXFR";
            case AXFR: return "AXFR";
            case ANY: return "ANY";
            default: return "TYPE" + type;
        }
    }
}
