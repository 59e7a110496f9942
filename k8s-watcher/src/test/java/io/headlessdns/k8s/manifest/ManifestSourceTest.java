package io.headlessdns.k8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watching real files: edits are delivered as differences within a second, broken edits not at all. */
class ManifestSourceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final String SERVICE = "svc-sts-nginx";

    @TempDir
    Path dir;

    private final Recorder events = new Recorder();
    private ManifestSource source;

    /** Every listener call as text, and the threads that made them. */
    static final class Recorder implements ClusterListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<ServiceView> services = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        private void record(String call) {
            threads.add(Thread.currentThread().getName());
            calls.add(call);
        }

        @Override
        public void serviceChanged(ServiceView service) {
            services.add(service);
            record("serviceChanged " + service.key());
        }

        @Override
        public void serviceRemoved(ServiceKey key) {
            record("serviceRemoved " + key);
        }

        @Override
        public void podChanged(PodView pod) {
            record("podChanged " + pod.namespace() + "/" + pod.name());
        }

        @Override
        public void podRemoved(String namespace, String name) {
            record("podRemoved " + namespace + "/" + name);
        }

        @Override
        public void namespaceChanged(String namespace, boolean exists) {
            record("namespaceChanged " + namespace + " " + exists);
        }

        @Override
        public void synced() {
            record("synced");
        }

        ServiceView last() {
            return services.get(services.size() - 1);
        }
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    private Path startWith(String text) throws Exception {
        Path file = TestFiles.write(dir, "sts.yaml", text);
        source = new ManifestSource(List.of(dir));
        source.start(events);
        return file;
    }

    @Test
    void start_deliversFullStateThenSynced_fromTheWatchThread() throws Exception {
        startWith(TestFiles.statefulSet(2));

        assertThat(events.calls).containsExactly(
                "namespaceChanged default true",
                "serviceChanged default/" + SERVICE,
                "podChanged default/sts-web-0",
                "podChanged default/sts-web-1",
                "synced");
        assertThat(events.threads).containsOnly("manifest-watch");
        assertThat(source.describe()).isEqualTo("manifests [" + dir + "]");
    }

    @Test
    void replicasEdit_deliversOnlyTheChangedServiceAndNewPod_withinASecond() throws Exception {
        Path file = startWith(TestFiles.statefulSet(2));
        events.calls.clear();

        Files.writeString(file, TestFiles.statefulSet(3));

        await().atMost(DEADLINE).until(() -> events.calls.contains("podChanged default/sts-web-2"));
        assertThat(events.last().endpoints()).hasSize(3);
        assertThat(events.calls).containsExactly("serviceChanged default/" + SERVICE, "podChanged default/sts-web-2");
        assertThat(events.threads).containsOnly("manifest-watch");
    }

    @Test
    void brokenEdit_deliversNothing_logsFileLineOnce_andALaterFixIsDelivered() throws Exception {
        Path file = startWith(TestFiles.statefulSet(2));
        events.calls.clear();
        ListAppender<ILoggingEvent> log = TestFiles.capture(ManifestSource.class);
        try {
            Files.writeString(file, TestFiles.statefulSet(2).replace("replicas: 2", "replicas: [2"));
            await().atMost(DEADLINE).until(() -> errors(log).size() == 1);
            assertThat(errors(log).get(0)).contains(file + ":").contains("keeping the last good state");
            Thread.sleep(3 * ManifestSource.POLL_MILLIS);
            assertThat(errors(log)).as("the same broken content is reported once").hasSize(1);
            assertThat(events.calls).isEmpty();

            Files.writeString(file, TestFiles.statefulSet(1));
            await().atMost(DEADLINE).until(() -> events.calls.contains("podRemoved default/sts-web-1"));
            assertThat(events.last().endpoints()).hasSize(1);
        } finally {
            TestFiles.detach(ManifestSource.class, log);
        }
    }

    @Test
    void brokenLine_isTheLineOfTheError() throws Exception {
        Path file = startWith(TestFiles.statefulSet(2));
        ListAppender<ILoggingEvent> log = TestFiles.capture(ManifestSource.class);
        try {
            Files.writeString(file, TestFiles.statefulSet(2).replace("replicas: 2", "replicas: two"));
            await().atMost(DEADLINE).until(() -> !errors(log).isEmpty());
            // line 19 of TestFiles.statefulSet holds "replicas:"
            assertThat(errors(log).get(0)).startsWith(file + ":19: StatefulSet spec.replicas");
        } finally {
            TestFiles.detach(ManifestSource.class, log);
        }
    }

    @Test
    void deletedServiceDocument_deliversServiceRemoved() throws Exception {
        Path file = startWith(TestFiles.statefulSet(2) + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: extra, namespace: other}
                spec: {type: ExternalName, externalName: example.com}
                """);
        events.calls.clear();

        Files.writeString(file, TestFiles.statefulSet(2));

        await().atMost(DEADLINE).until(() -> events.calls.contains("namespaceChanged other false"));
        assertThat(events.calls).containsExactly("serviceRemoved other/extra", "namespaceChanged other false");
    }

    @Test
    void fileReplacedByRename_isDelivered() throws Exception {
        Path file = startWith(TestFiles.statefulSet(2));
        events.calls.clear();

        Path temp = TestFiles.write(dir, ".sts.yaml.swp", TestFiles.statefulSet(4));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        await().atMost(DEADLINE).until(() -> events.calls.contains("podChanged default/sts-web-3"));
        assertThat(events.last().endpoints()).hasSize(4);
    }

    @Test
    void brokenFileAtStart_throwsWithFileAndLine_andDeliversNothing() {
        TestFiles.write(dir, "sts.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: a: b\n");
        source = new ManifestSource(List.of(dir));

        assertThatThrownBy(() -> source.start(events))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(dir.resolve("sts.yaml") + ":4: not valid YAML");
        assertThat(events.calls).isEmpty();
    }

    @Test
    void close_stopsTheWatchThread_andIsIdempotent() throws Exception {
        startWith(TestFiles.statefulSet(1));

        source.close();
        source.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("manifest-watch"));
    }

    private static List<String> errors(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
