package io.headlessdns.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded UDP load generator: {@code threads} sockets, each keeping {@code window} queries in flight
 * for one name, for a fixed time. Counts NOERROR answers with at least one record; a query lost (no
 * answer within 200 ms) is replaced, so the window never drains. Bounded in time and in count.
 */
public final class UdpLoad {
    public record Result(long answers, long errors, double seconds) {
        public double qps() {
            return answers / seconds;
        }
    }

    private UdpLoad() {
    }

    public static Result run(InetSocketAddress server, String name, int qtype, int threads, int window, double seconds,
                             long maxQueries) throws InterruptedException {
        LongAdder answers = new LongAdder();
        LongAdder errors = new LongAdder();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    s.setSoTimeout(200);
                    byte[] q = Queries.encode(name, qtype, false);
                    DatagramPacket out = new DatagramPacket(q, q.length, server);
                    DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
                    int id = 0;
                    long sent = 0;
                    for (int i = 0; i < window; i++) {
                        q[0] = (byte) (id >>> 8);
                        q[1] = (byte) id++;
                        s.send(out);
                        sent++;
                    }
                    while (System.nanoTime() < deadline && sent < maxQueries / threads) {
                        try {
                            s.receive(in);
                            byte[] b = in.getData();
                            boolean ok = (b[3] & 0xF) == 0 && ((b[6] & 0xff) << 8 | (b[7] & 0xff)) > 0;
                            (ok ? answers : errors).increment();
                        } catch (SocketTimeoutException lost) {
                            errors.increment();
                        }
                        q[0] = (byte) (id >>> 8);
                        q[1] = (byte) id++;
                        s.send(out);
                        sent++;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "load-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        return new Result(answers.sum(), errors.sum(), (System.nanoTime() - t0) / 1e9);
    }
}
