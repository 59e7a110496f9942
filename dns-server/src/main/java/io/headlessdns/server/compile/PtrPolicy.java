package io.headlessdns.server.compile;

import java.util.Locale;

/**
 * What the reverse name of an IP behind several services answers (kubernetes/kubernetes#127716):
 * {@link #ALL}, one PTR per service as CoreDNS does; {@link #HOSTNAME_FIRST}, one canonical PTR,
 * preferring a per-pod name with a real hostname (a StatefulSet pod), then a per-endpoint name of a
 * headless service, then a ClusterIP service name, ties broken by name.
 */
public enum PtrPolicy {
    ALL,
    HOSTNAME_FIRST;

    /** Ranks of PTR targets under {@link #HOSTNAME_FIRST}: lower wins. */
    public static final int RANK_HOSTNAME = 0;
    public static final int RANK_ENDPOINT = 1;
    public static final int RANK_SERVICE = 2;

    public static PtrPolicy parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "all": return ALL;
            case "hostname-first": return HOSTNAME_FIRST;
            default: throw new IllegalArgumentException("PTR policy must be all or hostname-first, not '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
