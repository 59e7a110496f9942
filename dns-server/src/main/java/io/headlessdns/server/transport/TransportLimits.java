package io.headlessdns.server.transport;

/**
 * What one client may cost the server (RFC 7766 6.2.3 and 10 for TCP; response rate limiting for UDP).
 *
 * @param tcpMaxConnections   open TCP connections at most; beyond it new ones are closed at once (UDP is unaffected)
 * @param tcpMaxInFlight      responses of one connection waiting to be written before the server stops reading it
 * @param tcpIdleMillis       a connection with no complete message for this long is closed (between messages)
 * @param tcpMessageMillis    a message that started arriving must be complete within this long (slow-loris)
 * @param rrlResponsesPerSecond UDP responses per second per client /24 (IPv4) or /56 (IPv6); 0 turns RRL off
 * @param rrlSlip             every n-th response over the limit is sent truncated (TC=1) instead of dropped; 0 never
 */
public record TransportLimits(
        int tcpMaxConnections,
        int tcpMaxInFlight,
        int tcpIdleMillis,
        int tcpMessageMillis,
        int rrlResponsesPerSecond,
        int rrlSlip) {

    /** No RRL (in-cluster CoreDNS has none); TCP limits after RFC 7766 and common server defaults. */
    public static final TransportLimits DEFAULT = new TransportLimits(4096, 64, 10_000, 3_000, 0, 2);

    public TransportLimits {
        if (tcpMaxConnections < 1) {
            throw new IllegalArgumentException("--tcp-max-connections must be at least 1, not " + tcpMaxConnections);
        }
        if (tcpMaxInFlight < 1) {
            throw new IllegalArgumentException("--tcp-max-in-flight must be at least 1, not " + tcpMaxInFlight);
        }
        if (tcpIdleMillis < 1 || tcpMessageMillis < 1) {
            throw new IllegalArgumentException("TCP timeouts must be positive");
        }
        if (rrlResponsesPerSecond < 0) {
            throw new IllegalArgumentException("--rrl-responses-per-second must be 0 (off) or more, not " + rrlResponsesPerSecond);
        }
        if (rrlSlip < 0) {
            throw new IllegalArgumentException("--rrl-slip must be 0 or more, not " + rrlSlip);
        }
    }

    public TransportLimits withTcp(int maxConnections, int maxInFlight, int idleMillis, int messageMillis) {
        return new TransportLimits(maxConnections, maxInFlight, idleMillis, messageMillis, rrlResponsesPerSecond, rrlSlip);
    }

    public TransportLimits withRrl(int responsesPerSecond, int slip) {
        return new TransportLimits(tcpMaxConnections, tcpMaxInFlight, tcpIdleMillis, tcpMessageMillis, responsesPerSecond, slip);
    }
}
