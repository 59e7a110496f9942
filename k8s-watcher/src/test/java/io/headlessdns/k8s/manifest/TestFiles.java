package io.headlessdns.k8s.manifest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Writing manifests into a temp folder and capturing what a class logs, for the tests of this package. */
final class TestFiles {

    private TestFiles() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClusterSnapshot load(Path dir, String name, String text) throws ManifestException {
        return ManifestSource.loadOnce(List.of(write(dir, name, text)));
    }

    /** Starts capturing the log lines of {@code type}; detach with {@link #detach}. */
    static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    static void detach(Class<?> type, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
    }

    /** The StatefulSet example of deploy/examples, with the replica count as a parameter. */
    static String statefulSet(int replicas) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: svc-sts-nginx
                spec:
                  clusterIP: None
                  selector:
                    app: nginx
                  ports:
                  - name: web
                    port: 80
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: sts-web
                spec:
                  serviceName: svc-sts-nginx
                  replicas: %d
                  selector:
                    matchLabels:
                      app: nginx
                  template:
                    metadata:
                      labels:
                        app: nginx
                    spec:
                      containers:
                      - name: nginx
                        image: nginx:1.27
                """.formatted(replicas);
    }
}
