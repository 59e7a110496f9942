package io.headlessdns.k8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest source delivers a service again exactly when its fingerprint moves. */
class FingerprintTest {

    private final Fingerprint.Digester digester = new Fingerprint.Digester();

    private static ServiceView service(List<EndpointView> endpoints, Instant trigger) {
        return new ServiceView(new ServiceKey("default", "web"), ServiceType.HEADLESS, List.of(), null, false,
                List.of(new PortView("http", 80, "TCP")), endpoints, trigger, true);
    }

    private static EndpointView endpoint(String ip, boolean ready) {
        return new EndpointView(List.of(ip), "web-0", ready, ready, false, "web-0", List.of(new PortView("http", 80, "TCP")));
    }

    @Test
    void equalServices_haveEqualFingerprints() {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        assertThat(digester.of(service(List.of(endpoint("10.0.0.1", true)), t)))
                .isEqualTo(digester.of(service(List.of(endpoint("10.0.0.1", true)), t)));
    }

    @Test
    void anyNestedComponentChange_movesTheFingerprint() {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        Fingerprint base = digester.of(service(List.of(endpoint("10.0.0.1", true)), t));
        assertThat(digester.of(service(List.of(endpoint("10.0.0.1", false)), t))).isNotEqualTo(base);
        assertThat(digester.of(service(List.of(endpoint("10.0.0.2", true)), t))).isNotEqualTo(base);
        assertThat(digester.of(service(List.of(endpoint("10.0.0.1", true)), t.plusNanos(1)))).isNotEqualTo(base);
        assertThat(digester.of(service(List.of(endpoint("10.0.0.1", true)), null))).isNotEqualTo(base);
        assertThat(digester.of(service(List.of(), t))).isNotEqualTo(base);
    }

    @Test
    void valuesWhoseTextFormsAgree_stillDiffer() {
        // List.of("a, b").toString() equals List.of("a", "b").toString(): lengths keep them apart here
        EndpointView joined = new EndpointView(List.of("10.0.0.1, 10.0.0.2"), null, true, true, false, null, List.of());
        EndpointView two = new EndpointView(List.of("10.0.0.1", "10.0.0.2"), null, true, true, false, null, List.of());
        assertThat(joined.toString()).isEqualTo(two.toString());
        assertThat(digester.of(joined)).isNotEqualTo(digester.of(two));
    }

    @Test
    void unknownComponentType_isRefused() {
        record Odd(Object value) {
        }
        assertThatThrownBy(() -> digester.of(new Odd(new Object()))).isInstanceOf(IllegalArgumentException.class);
    }
}
