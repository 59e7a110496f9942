package io.headlessdns.server.forward;

import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * What the forwarder keeps of a client's query while it waits for an upstream (the query buffer itself
 * is released when the transport handler returns): its ID and flags, the question as the client wrote
 * it, the key fields, and its EDNS state; plus where the answer goes.
 */
final class ClientQuery {
    /** Where an answer goes: the client's UDP address or TCP connection; called on its event loop. */
    interface Responder {
        void send(ByteBuf response);
    }

    final int id;
    final int flags;
    /** The question section exactly as the client sent it (its case), for the answer. */
    final ByteBuf question;
    final byte[] lowerName;
    final int nameLength;
    final int qtype;
    final int qclass;
    final boolean edns;
    final int udpPayload;
    final boolean dnssecOk;
    final boolean tcp;
    final boolean ipv6;
    final int requestSize;
    /** When the query arrived, for the duration meters. */
    final long startNanos;
    final ByteBufAllocator alloc;
    final Responder responder;

    ClientQuery(int id, int flags, byte[] question, byte[] lowerName, int nameLength, int qtype, int qclass, boolean edns,
                int udpPayload, boolean dnssecOk, boolean tcp, boolean ipv6, int requestSize, long startNanos,
                ByteBufAllocator alloc, Responder responder) {
        this.id = id;
        this.flags = flags;
        this.question = Unpooled.wrappedBuffer(question);
        this.lowerName = lowerName;
        this.nameLength = nameLength;
        this.qtype = qtype;
        this.qclass = qclass;
        this.edns = edns;
        this.udpPayload = udpPayload;
        this.dnssecOk = dnssecOk;
        this.tcp = tcp;
        this.ipv6 = ipv6;
        this.requestSize = requestSize;
        this.startNanos = startNanos;
        this.alloc = alloc;
        this.responder = responder;
    }

    Name name() {
        try {
            return new Name(new DNSInput(java.util.Arrays.copyOf(lowerName, nameLength)));
        } catch (WireParseException e) {
            throw new IllegalStateException("the query parser accepted a name dnsjava rejects", e);
        }
    }

    /** An answer without records (SERVFAIL, REFUSED): header, the client's question, its OPT. */
    ByteBuf error(int rcode) {
        return error(alloc, id, flags, question, 0, question.readableBytes(), edns, dnssecOk, tcp, rcode);
    }

    static ByteBuf error(ByteBufAllocator alloc, int id, int clientFlags, ByteBuf question, int offset, int length,
                         boolean edns, boolean dnssecOk, boolean tcp, int rcode) {
        int total = Header.LENGTH + length + (edns ? 11 : 0);
        ByteBuf out = alloc.ioBuffer(total + (tcp ? 2 : 0));
        if (tcp) {
            out.writeShort(total);
        }
        out.writeShort(id);
        out.writeShort(Header.QR | Header.RA | (clientFlags & (Header.OPCODE_MASK | Header.RD | Header.CD)) | (rcode & 0xF));
        out.writeShort(1).writeShort(0).writeShort(0).writeShort(edns ? 1 : 0);
        out.writeBytes(question, offset, length);
        if (edns) {
            out.writeByte(0).writeShort(RecordType.OPT).writeShort(Header.EDNS_UDP_PAYLOAD).writeByte(0).writeByte(0)
                    .writeShort(dnssecOk ? 0x8000 : 0).writeShort(0);
        }
        return out;
    }
}
