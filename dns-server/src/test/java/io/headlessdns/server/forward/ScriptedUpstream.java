package io.headlessdns.server.forward;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A misbehaving upstream for tests: a UDP and a TCP listener on a free port of 127.0.0.1 that answer
 * according to a {@link Behaviour}, which may be switched while running. Every answer to an A question
 * is {@code 192.0.2.1} with TTL {@link #TTL}. Counts the queries it gets per transport.
 */
final class ScriptedUpstream implements AutoCloseable {
    static final int TTL = 300;

    enum Behaviour { ANSWER, WRONG_ID, TRUNCATE_UDP, SERVFAIL, SILENT, MALFORMED }

    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    volatile Behaviour behaviour;
    volatile int ttl = TTL;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Thread udpThread;
    private final Thread tcpThread;

    ScriptedUpstream(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        InetAddress lo = InetAddress.getLoopbackAddress();
        ServerSocket t = null;
        DatagramSocket u = null;
        for (int attempt = 0; attempt < 50 && u == null; attempt++) {
            t = new ServerSocket(0, 50, lo);
            try {
                u = new DatagramSocket(new InetSocketAddress(lo, t.getLocalPort()));
            } catch (SocketException taken) {
                t.close();
            }
        }
        this.tcp = t;
        this.udp = u;
        udpThread = new Thread(this::serveUdp, "scripted-udp");
        tcpThread = new Thread(this::serveTcp, "scripted-tcp");
        udpThread.setDaemon(true);
        tcpThread.setDaemon(true);
        udpThread.start();
        tcpThread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                byte[] reply = answer(java.util.Arrays.copyOf(buf, p.getLength()), false);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or a query dnsjava cannot read: nothing to answer
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(3000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                tcpQueries.incrementAndGet();
                byte[] reply = answer(q, true);
                if (reply != null) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                // closed or a client gone
            }
        }
    }

    private byte[] answer(byte[] query, boolean overTcp) throws IOException {
        Message q = new Message(query);
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RA);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        switch (behaviour) {
            case SILENT:
                return null;
            case SERVFAIL:
                r.getHeader().setRcode(Rcode.SERVFAIL);
                return r.toWire();
            case WRONG_ID:
                r.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
                addAnswer(q, r);
                return r.toWire();
            case TRUNCATE_UDP:
                if (!overTcp) {
                    r.getHeader().setFlag(Flags.TC);
                    return r.toWire();
                }
                addAnswer(q, r);
                return r.toWire();
            case MALFORMED:
                byte[] w = r.toWire();
                return java.util.Arrays.copyOf(w, 12 + 3); // the header promises a question that is cut off
            default:
                addAnswer(q, r);
                return r.toWire();
        }
    }

    private void addAnswer(Message q, Message r) {
        Record question = q.getQuestion();
        if (question.getType() == Type.A) {
            r.addRecord(new ARecord(question.getName(), DClass.IN, ttl, addr("192.0.2.1")), Section.ANSWER);
        }
    }

    private static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
