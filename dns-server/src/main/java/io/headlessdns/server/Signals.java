package io.headlessdns.server;

import sun.misc.Signal;

/**
 * Runs an action on SIGTERM and SIGINT instead of letting the JVM exit. The only way in Java 17 to take
 * over a signal is {@code sun.misc.Signal} (module jdk.unsupported, exported for exactly this use).
 */
final class Signals {
    private Signals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> action.run());
        }
    }
}
