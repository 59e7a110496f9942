package io.headlessdns.server.wire;

/** DNS response codes (RFC 1035 4.1.1, RFC 6891 9 for BADVERS, which needs the OPT extended bits). */
public final class Rcode {
    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    public static final int BADVERS = 16;

    private Rcode() {
    }

    public static String name(int rcode) {
        switch (rcode) {
            case NOERROR: return "NOERROR";
            case FORMERR: return "FORMERR";
            case SERVFAIL: return "SERVFAIL";
            case NXDOMAIN: return "NXDOMAIN";
            case NOTIMP: return "NOTIMP";
            case REFUSED: return "REFUSED";
            case BADVERS: return "BADVERS";
            default: return "RCODE" + rcode;
        }
    }
}
