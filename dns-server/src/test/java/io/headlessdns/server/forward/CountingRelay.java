package io.headlessdns.server.forward;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay between headless-dns and a real upstream that counts the queries passing through, so a
 * test can prove that an answer came from the cache (the upstream was not asked).
 */
final class CountingRelay implements AutoCloseable {
    final AtomicInteger queries = new AtomicInteger();
    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final Thread thread;

    CountingRelay(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::relay, "relay");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.getLocalPort());
    }

    private void relay() {
        byte[] buf = new byte[65535];
        while (!front.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                front.receive(p);
                queries.incrementAndGet();
                SocketAddress client = p.getSocketAddress();
                try (DatagramSocket back = new DatagramSocket()) {
                    back.setSoTimeout(1000);
                    back.send(new DatagramPacket(buf, p.getLength(), upstream));
                    DatagramPacket r = new DatagramPacket(new byte[65535], 65535);
                    back.receive(r);
                    front.send(new DatagramPacket(r.getData(), r.getLength(), client));
                } catch (SocketTimeoutException e) {
                    // the upstream said nothing: neither do we
                }
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() {
        front.close();
    }
}
