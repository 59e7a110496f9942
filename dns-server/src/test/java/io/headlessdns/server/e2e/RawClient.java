package io.headlessdns.server.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/** Sends hand-made bytes to the server over real UDP and TCP sockets on 127.0.0.1. */
final class RawClient implements AutoCloseable {
    private final int port;
    private final DatagramSocket udp;

    RawClient(int port) throws IOException {
        this.port = port;
        this.udp = new DatagramSocket();
        udp.setSoTimeout(500);
    }

    /** The response datagram, or null if none came within 500 ms. */
    byte[] udp(byte[] query) throws IOException {
        udp.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            udp.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(buf, p.getLength());
    }

    /** Sends a length prefix of 65535 with a few bytes and waits: the server must close, not hang or crash. */
    boolean tcpOversizedLengthIsClosed() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
            out.flush();
            InputStream in = s.getInputStream();
            return in.read() == -1; // closed by the idle timeout, having allocated nothing for the claimed length
        }
    }

    /**
     * Writes several length-prefixed queries in one TCP segment and reads as many responses from the same
     * connection (RFC 7766 6.2.1.1 pipelining); returns the responses without their length prefixes.
     */
    List<byte[]> tcpPipelined(List<byte[]> queries) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] q : queries) {
            all.write(q.length >> 8);
            all.write(q.length);
            all.write(q);
        }
        List<byte[]> out = new java.util.ArrayList<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(all.toByteArray());
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            for (int i = 0; i < queries.size(); i++) {
                byte[] r = new byte[in.readUnsignedShort()];
                in.readFully(r);
                out.add(r);
            }
        }
        return out;
    }

    static byte[] header(int qdcount) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putShort((short) 0x1234).putShort((short) 0x0100).putShort((short) qdcount).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    static byte[] withQuestions(int n) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.put(header(n));
        for (int i = 0; i < n; i++) {
            b.put(new byte[] {1, 'a', 0, 0, 1, 0, 1});
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] compressionLoop() {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) 0x1234).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 1);
        b.put(new byte[] {1, 'a', 0, 0, 1, 0, 1});
        int at = b.position();
        b.put((byte) 1).put((byte) 'b').put((byte) 0xC0).put((byte) at);
        b.putShort((short) 1).putShort((short) 1).putInt(0).putShort((short) 0);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public void close() {
        udp.close();
    }
}
