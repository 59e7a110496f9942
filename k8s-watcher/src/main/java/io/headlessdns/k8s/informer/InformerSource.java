package io.headlessdns.k8s.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.ClusterSource;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.shrink.ShrinkRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as the Kubernetes API reports it: fabric8 informers on Services, discovery.k8s.io/v1
 * EndpointSlices and (only when pod records are verified) Pods. fabric8 types stay in this package.
 *
 * <p>Every listener call is made from one thread, {@code k8s-listener}: the informers' handlers only
 * enqueue "look at this service/pod again" onto it (see {@link ClusterAssembler}). {@link #start} returns
 * at once; {@code synced()} follows when every informer has listed, or after the start-up timeout with
 * whatever is known by then (logged with the reason). After that the informers keep reconnecting with
 * back-off for as long as the source runs, and what was last published stays served meanwhile.
 */
public final class InformerSource implements ClusterSource {
    private static final Logger log = LoggerFactory.getLogger(InformerSource.class);
    private static final long LIST_PAGE = 500;

    private final KubernetesClient client;
    private final InformerScope scope;
    private final boolean watchPods;
    private final Duration startupTimeout;
    private final ScheduledExecutorService listenerThread;
    private volatile boolean closing;
    private volatile boolean synced;
    private InformerGroup<Service> services;
    private InformerGroup<EndpointSlice> slices;
    private InformerGroup<Pod> pods;
    private ClusterAssembler assembler;

    /**
     * @param client         the API client; closed with this source
     * @param watchPods      whether to inform on Pods too (only verified pod records need them)
     * @param startupTimeout how long {@code synced()} waits for every informer before serving what it has
     */
    public InformerSource(KubernetesClient client, InformerScope scope, boolean watchPods, Duration startupTimeout) {
        this.client = client;
        this.scope = scope;
        this.watchPods = watchPods;
        this.startupTimeout = startupTimeout;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "k8s-listener");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.listenerThread = executor;
    }

    /**
     * A source on the API a kubeconfig describes, or the in-cluster API when {@code kubeconfig} is null;
     * the way in for callers that must not see fabric8 types (dns-server).
     */
    public static InformerSource connect(Path kubeconfig, String context, InformerScope scope, boolean watchPods,
            Duration startupTimeout) throws IOException {
        return new InformerSource(KubeClients.connect(kubeconfig, context), scope, watchPods, startupTimeout);
    }

    @Override
    public synchronized void start(ClusterListener listener) {
        String selector = scope.labelSelector();
        services = new InformerGroup<>("services", scope.namespaces(),
                ns -> informer(selected(ns == null ? client.services().inAnyNamespace()
                        : client.services().inNamespace(ns), selector), Map.of()),
                handler(s -> new ServiceKey(ShrinkRules.namespace(s), s.getMetadata().getName()),
                        k -> onListenerThread(() -> assembler().refreshService(k))),
                () -> closing);
        slices = new InformerGroup<>("endpointslices.discovery.k8s.io", scope.namespaces(),
                ns -> informer(selected(ns == null ? client.discovery().v1().endpointSlices().inAnyNamespace()
                        : client.discovery().v1().endpointSlices().inNamespace(ns), selector),
                        Map.of(ClusterAssembler.BY_SERVICE, ClusterAssembler::sliceOwner)),
                handler(ShrinkRules::owner, k -> onListenerThread(() -> assembler().refreshService(k))),
                () -> closing);
        if (watchPods) {
            pods = new InformerGroup<>("pods", scope.namespaces(),
                    ns -> informer(ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns), Map.of()),
                    handler(p -> p, p -> onListenerThread(
                            () -> assembler().refreshPod(ShrinkRules.namespace(p), p.getMetadata().getName()))),
                    () -> closing);
        }
        assembler = new ClusterAssembler(listener, services, slices, pods);
        CompletableFuture<Void> all = watchPods
                ? CompletableFuture.allOf(services.start(), slices.start(), pods.start())
                : CompletableFuture.allOf(services.start(), slices.start());
        all.whenComplete((v, t) -> onListenerThread(() -> {
            if (t != null) {
                log.error("informers stopped before syncing: {}", t.toString());
                return;
            }
            // the caches are complete now, whatever handler events are still in flight
            assembler().refreshAll();
            log.info("Kubernetes API synced: {}", status());
            if (!synced) {
                synced = true;
                listener.synced();
            }
            listener.complete();
        }));
        listenerThread.schedule(() -> {
            if (!synced && !closing) {
                log.warn("start-up timeout of {} s passed before the API informers synced ({}); serving what is"
                        + " known and catching up as the API answers", startupTimeout.toSeconds(), status());
                synced = true;
                listener.synced();
            }
        }, startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ClusterAssembler assembler() {
        return assembler;
    }

    private static <T, L> Informable<T> selected(FilterWatchListDeletable<T, L, ?> op, String selector) {
        return selector == null ? op : op.withLabelSelector(selector);
    }

    private static <T> SharedIndexInformer<T> informer(Informable<T> op, Map<String, Function<T, List<String>>> indexers) {
        Informable<T> i = indexers.isEmpty() ? op : op.withIndexers(indexers);
        // lists come in pages, so a relist of a large cluster does not hold one huge response in memory
        // (kubernetes#139117); no periodic resync: the level-triggered assembler needs only real changes
        return i.withLimit(LIST_PAGE).runnableInformer(0);
    }

    private static <T extends HasMetadata, K> ResourceEventHandler<T> handler(Function<T, K> key, Consumer<K> refresh) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                K before = key.apply(oldObj);
                K after = key.apply(newObj);
                if (before != null && !before.equals(after)) {
                    refresh.accept(before); // a slice moved to another service
                }
                changed(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed(obj);
            }

            private void changed(T obj) {
                K k = key.apply(obj);
                if (k != null) {
                    refresh.accept(k);
                }
            }
        };
    }

    private void onListenerThread(Runnable task) {
        if (closing) {
            return;
        }
        try {
            listenerThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("applying a Kubernetes change failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing raced with an informer event: nothing to apply any more
        }
    }

    private String status() {
        StringBuilder b = new StringBuilder(services.describe()).append("; ").append(slices.describe());
        if (pods != null) {
            b.append("; ").append(pods.describe());
        }
        return b.toString();
    }

    @Override
    public boolean authorized() {
        for (InformerGroup<?> g : new InformerGroup<?>[] {services, slices, pods}) {
            if (g != null && g.forbidden()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return "Kubernetes API " + client.getMasterUrl()
                + (scope.allNamespaces() ? " (all namespaces" : " (namespaces " + String.join(",", scope.namespaces()))
                + (scope.labelSelector() == null ? "" : ", label selector " + scope.labelSelector())
                + (watchPods ? ", with pods)" : ")");
    }

    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        for (InformerGroup<?> g : new InformerGroup<?>[] {services, slices, pods}) {
            if (g != null) {
                g.close();
            }
        }
        listenerThread.shutdownNow();
        try {
            listenerThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
