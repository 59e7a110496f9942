package io.headlessdns.server.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.forward.ScriptedUpstream.Behaviour;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --stub-domain}: names in a stub zone go to its servers (kube-dns stubDomains), the rest to the default. */
class StubDomainTest {

    @Test
    void stubZone_goesToItsOwnUpstream_mostSpecificZoneWins() throws Exception {
        try (ScriptedUpstream general = new ScriptedUpstream(Behaviour.ANSWER);
             ScriptedUpstream corp = new ScriptedUpstream(Behaviour.ANSWER);
             ScriptedUpstream lab = new ScriptedUpstream(Behaviour.ANSWER);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(general.address()))
                     .withStubDomains(Map.of("corp.example", List.of(corp.address()),
                             "lab.corp.example", List.of(lab.address()))))) {
            int g = general.udpQueries.get();
            int c = corp.udpQueries.get();
            int l = lab.udpQueries.get();
            assertThat(s.dig.shortAnswer("db.corp.example")).containsExactly("192.0.2.1");
            assertThat(s.dig.shortAnswer("host.LAB.corp.example")).containsExactly("192.0.2.1");
            assertThat(s.dig.shortAnswer("www.example.org")).containsExactly("192.0.2.1");
            assertThat(s.dig.shortAnswer("notcorp.example")).containsExactly("192.0.2.1");
            assertThat(corp.udpQueries.get() - c).isEqualTo(1);
            assertThat(lab.udpQueries.get() - l).isEqualTo(1);
            assertThat(general.udpQueries.get() - g).as("www.example.org and notcorp.example (not below corp.example)").isEqualTo(2);
        }
    }

    @Test
    void onlyStubDomains_otherNamesAreRefused() throws Exception {
        try (ScriptedUpstream corp = new ScriptedUpstream(Behaviour.ANSWER);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withStubDomains(Map.of("corp.example", List.of(corp.address()))))) {
            assertThat(s.dig.shortAnswer("db.corp.example")).containsExactly("192.0.2.1");
            assertThat(s.dig.status("www.example.org")).isEqualTo("REFUSED");
        }
    }
}
