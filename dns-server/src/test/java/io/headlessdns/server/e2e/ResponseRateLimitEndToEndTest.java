package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.transport.TransportLimits;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * Response rate limiting over real UDP: off by default (every query answered), and with
 * {@code --rrl-responses-per-second 20 --rrl-slip 2} a burst of 100 gets about 20 answers, every second
 * response over the limit truncated (TC=1, so a real client retries over TCP), the rest dropped.
 */
class ResponseRateLimitEndToEndTest {
    private static final String SVC = "svc-sts-nginx.default.svc.cluster.local.";
    private static final int BURST = 100;

    @TempDir
    Path dir;

    /** Full answers, truncated answers, silence: counted for a burst of {@link #BURST} queries. */
    private int[] burst(TransportLimits limits) throws Exception {
        Files.copy(Path.of("..", "deploy", "examples", "statefulset.yaml"), dir.resolve("statefulset.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (RunningServer running = new RunningServer(List.of(dir), PodRecordMode.INSECURE, limits);
             DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(500);
            for (int i = 0; i < BURST; i++) {
                byte[] q = TransportLimitsEndToEndTest.query(SVC, i);
                socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), running.server.dnsPort()));
            }
            int[] counts = new int[3];
            byte[] buf = new byte[4096];
            try {
                while (counts[0] + counts[1] < BURST) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    Message m = new Message(Arrays.copyOf(buf, p.getLength()));
                    if (m.getHeader().getFlag(Flags.TC)) {
                        assertThat(m.getSection(Section.ANSWER)).isEmpty();
                        assertThat(m.getQuestion().getName().toString()).isEqualTo(SVC);
                        counts[1]++;
                    } else {
                        assertThat(m.getSection(Section.ANSWER)).hasSize(2);
                        counts[0]++;
                    }
                }
            } catch (SocketTimeoutException silence) {
                // the rest were dropped
            }
            counts[2] = BURST - counts[0] - counts[1];
            assertThat(running.server.dns().rateLimited()).isEqualTo(counts[1] + counts[2]);
            assertThat(Http.body(running.server.httpPort(), "/metrics"))
                    .contains("headless_dns_rate_limited_responses_total " + (counts[1] + counts[2]));
            return counts;
        }
    }

    @Test
    void off_byDefault_everyQueryOfABurstIsAnswered() throws Exception {
        assertThat(burst(TransportLimits.DEFAULT)).containsExactly(BURST, 0, 0);
    }

    @Test
    void on_aBurstGetsTheLimit_andEverySecondResponseOverItSlipsTruncated_theRestAreDropped() throws Exception {
        int[] c = burst(TransportLimits.DEFAULT.withRrl(20, 2));
        // the burst takes milliseconds; should it straddle a second boundary, two budgets apply
        assertThat(c[0]).as("full answers").isBetween(20, 40);
        assertThat(c[1]).as("truncated").isBetween((BURST - 40) / 2, (BURST - 20) / 2);
        assertThat(Math.abs(c[1] - c[2])).as("truncated vs dropped").isLessThanOrEqualTo(2);
    }
}
