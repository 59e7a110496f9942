package io.headlessdns.server.query;

import io.headlessdns.server.wire.Rcode;

/**
 * How a query ended. The query path only ever produces one of these; {@link #rcode} is the one place
 * an outcome becomes an RCODE.
 */
public enum Outcome {
    /** The name has records of the type asked (or a CNAME). */
    HIT(Rcode.NOERROR),
    /** The name exists, but not with that type: NOERROR, empty answer, SOA in authority (RFC 2308 2.2). */
    NODATA(Rcode.NOERROR),
    /** The name does not exist in a zone served here: SOA in authority (RFC 2308 2.1). */
    NXDOMAIN(Rcode.NXDOMAIN),
    /** Outside every zone served here, or a class or type this server does not serve. */
    REFUSED(Rcode.REFUSED),
    /** Malformed query with a readable header (RFC 1035 4.1.1). */
    FORMERR(Rcode.FORMERR),
    /** An opcode other than QUERY. */
    NOTIMP(Rcode.NOTIMP),
    /** EDNS version other than 0 (RFC 6891 6.1.3). */
    BADVERS(Rcode.BADVERS),
    /** The answer is not known yet (the cluster has not synced). */
    SERVFAIL(Rcode.SERVFAIL),
    /**
     * Outside every zone served here (or an unknown name in a reverse zone), with an upstream configured:
     * the transport hands the query to the forwarder, which answers later. Its RCODE is the upstream's.
     */
    FORWARD(-1),
    /** Not answered at all: too short for a header, or a response (QR=1). */
    DROPPED(-1);

    private final int rcode;

    Outcome(int rcode) {
        this.rcode = rcode;
    }

    public int rcode() {
        return rcode;
    }

    private static final Outcome[] VALUES = values();

    static Outcome of(int ordinal) {
        return VALUES[ordinal];
    }
}
