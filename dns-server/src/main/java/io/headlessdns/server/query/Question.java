package io.headlessdns.server.query;

import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.table.NameKey;

/**
 * What the parser learned from one query, in reusable fields: one instance per query engine (per event
 * loop thread), overwritten by every query, so parsing allocates nothing.
 */
final class Question {
    /** The query's bytes, copied once from its buffer: every DNS message fits (65535 over TCP). */
    final byte[] message = new byte[65535];
    int id;
    int flags;
    /** The query name in lower-case wire form, as the table key. */
    final NameKey.Probe name = new NameKey.Probe(DnsName.MAX_LENGTH);
    int nameLength;
    /** Start of each label within the name, for zone matching and compression pointers. */
    final int[] labelOffsets = new int[128];
    int labelCount;
    int qtype;
    int qclass;
    /** Length of the question section: name, QTYPE and QCLASS. */
    int sectionLength;

    boolean edns;
    int udpPayload;
    int ednsVersion;
    boolean dnssecOk;

    void reset() {
        nameLength = 0;
        labelCount = 0;
        sectionLength = 0;
        edns = false;
        udpPayload = 0;
        ednsVersion = 0;
        dnssecOk = false;
    }

    @Override
    public String toString() {
        return DnsName.toText(name.buffer(), 0, nameLength) + " type " + qtype + " class " + qclass;
    }
}
