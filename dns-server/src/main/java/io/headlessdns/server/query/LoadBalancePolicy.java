package io.headlessdns.server.query;

import java.util.Locale;

/**
 * The order of the records of a multi-record A or AAAA answer, as CoreDNS's {@code loadbalance} plugin
 * (in kubeadm's default Corefile) sets it. {@link #ROUND_ROBIN}: each answer starts one record further
 * than the previous one of the same event loop and wraps around, so clients that take the first address
 * spread over a headless service's pods. {@link #OFF}: the stored order, the same for every client.
 * SRV (priority and weight carry the choice), PTR and CNAME answers keep their order either way, as in
 * CoreDNS.
 */
public enum LoadBalancePolicy {
    ROUND_ROBIN, OFF;

    public static LoadBalancePolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--loadbalance must be round_robin or off, not '" + text + "'");
        }
    }
}
