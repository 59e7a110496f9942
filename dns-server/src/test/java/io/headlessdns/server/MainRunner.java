package io.headlessdns.server;

/** Lets tests in other packages run the command line and get its exit code. */
public final class MainRunner {
    private MainRunner() {
    }

    public static int run(String... args) {
        return Main.run(args);
    }
}
