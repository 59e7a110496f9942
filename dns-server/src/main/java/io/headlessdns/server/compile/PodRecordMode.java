package io.headlessdns.server.compile;

import java.util.Locale;

/**
 * Whether {@code a-b-c-d.<namespace>.pod.<zone>} names answer, as CoreDNS's {@code pods} option:
 * {@link #DISABLED} never, {@link #INSECURE} for any well-formed name (kubeadm's default, no lookup),
 * {@link #VERIFIED} only for the IP of a pod known in that namespace.
 */
public enum PodRecordMode {
    DISABLED,
    INSECURE,
    VERIFIED;

    public static PodRecordMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pod records must be disabled, insecure or verified, not '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
