package io.headlessdns.k8s.manifest;

import java.nio.file.Path;

/**
 * A manifest that cannot be served: unreadable, not YAML/JSON, or not a valid Kubernetes object. The
 * message starts with {@code file:line:} (just {@code file:} when no line applies) so an operator can
 * jump straight to the problem.
 */
public final class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public ManifestException(Path file, int line, String detail) {
        this(file, line, detail, null);
    }

    public ManifestException(Path file, int line, String detail, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + detail, cause);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
