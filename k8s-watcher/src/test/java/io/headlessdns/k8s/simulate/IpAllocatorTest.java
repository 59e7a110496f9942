package io.headlessdns.k8s.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reproducible, unique addresses for objects the files give none. */
class IpAllocatorTest {

    @Test
    void sameKey_getsSameAddress_inAFreshAllocator() {
        assertThat(IpAllocator.forPods().allocate("default/sts-web-0"))
                .isEqualTo(IpAllocator.forPods().allocate("default/sts-web-0"))
                .startsWith("10.244.");
    }

    @Test
    void reservedAddress_isNeverHandedOut_andCollisionsProbe() {
        IpAllocator a = new IpAllocator("192.168.7.0/30");
        a.reserve("192.168.7.1");

        assertThat(a.allocate("x")).isEqualTo("192.168.7.2");
    }

    @Test
    void smallRange_fillsWithoutDuplicates_skippingNetworkAndBroadcast() {
        IpAllocator a = new IpAllocator("10.0.0.0/28");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 14; i++) {
            seen.add(a.allocate("k" + i));
        }

        assertThat(seen).hasSize(14).doesNotContain("10.0.0.0", "10.0.0.15");
    }

    @Test
    void serviceAllocator_keepsKubernetesAndDnsAddressesFree() {
        IpAllocator a = IpAllocator.forServices();
        for (int i = 0; i < 2000; i++) {
            assertThat(a.allocate("ns/s" + i)).isNotIn("10.96.0.1", "10.96.0.10");
        }
    }
}
