package io.headlessdns.server.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writer's open-addressing set of name states agrees with a HashMap through adds and removals. */
class NameStatesTest {
    @Test
    void addsAndRemovals_findExactlyThePresentNames_acrossGrowthAndShrinking() {
        NameStates states = new NameStates();
        Map<NameKey, NameState> reference = new HashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 40_000; step++) {
            // a small name space, so removals hit present names and probe runs collide
            NameKey key = NameKey.ofText("n" + random.nextInt(3_000) + ".ns.svc.cluster.local");
            boolean grow = step < 20_000 ? random.nextInt(3) > 0 : random.nextInt(3) == 0;
            if (grow && !reference.containsKey(key)) {
                NameState s = new NameState(key.wire());
                states.add(s);
                reference.put(key, s);
            } else if (!grow) {
                states.remove(key);
                reference.remove(key);
            }
            if (step % 1000 == 0) {
                for (int n = 0; n < 3_000; n++) {
                    NameKey probe = NameKey.ofText("n" + n + ".ns.svc.cluster.local");
                    assertThat(states.get(probe)).isSameAs(reference.get(probe));
                }
            }
        }
        assertThat(states.size()).isEqualTo(reference.size());
    }
}
