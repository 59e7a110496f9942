package io.headlessdns.k8s.manifest;

import java.nio.file.Path;

/** A parsed Kubernetes object and where it was written, so later errors can still name file:line. */
record Sourced<T>(T object, Path file, int line) {

    ManifestException error(String detail) {
        return new ManifestException(file, line, detail);
    }
}
