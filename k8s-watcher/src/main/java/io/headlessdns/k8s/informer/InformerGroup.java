package io.headlessdns.k8s.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers of one resource kind: one for all namespaces, or one per watched namespace. Each keeps
 * retrying after any failure, including a failed first list (fabric8's default handler gives up on that),
 * because the API server coming back later must still bring DNS up to date.
 */
final class InformerGroup<T extends HasMetadata> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InformerGroup.class);

    private final String kind;
    private final List<String> namespaces;
    private final List<SharedIndexInformer<T>> informers = new ArrayList<>();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    /** The last failure logged by {@link #report}; informer threads write it one at a time (they retry serially). */
    private volatile String lastReport;
    /** The last failure was a 403; cleared by the next failure of another kind, or by a watch that runs. */
    private volatile boolean forbidden;

    /**
     * @param create  builds the (not yet started) informer for a namespace, or for all when given null
     * @param closing true once the source is closing; no retries then
     */
    InformerGroup(String kind, List<String> namespaces, Function<String, SharedIndexInformer<T>> create,
            ResourceEventHandler<T> handler, BooleanSupplier closing) {
        this.kind = kind;
        this.namespaces = namespaces;
        List<String> targets = namespaces.isEmpty() ? Collections.singletonList(null) : namespaces;
        for (String ns : targets) {
            SharedIndexInformer<T> informer = create.apply(ns);
            informer.exceptionHandler((started, t) -> {
                lastError.set(t);
                if (!closing.getAsBoolean()) {
                    report(t);
                }
                // true: retry, whatever failed. fabric8's default gives up on a failed first list and on an
                // undecodable watch event, which would freeze DNS at its last state for good.
                return !closing.getAsBoolean();
            });
            informer.addEventHandler(handler);
            informers.add(informer);
        }
    }

    /**
     * Logs what an operator must act on, once per distinct cause (the informer retries with back-off, so
     * the same failure comes again and again): RBAC refusing a verb, a watch event that does not decode.
     */
    private void report(Throwable t) {
        String line = null;
        KubernetesClientException api = clientException(t);
        forbidden = api != null && api.getCode() == 403;
        if (forbidden) {
            String verb = String.valueOf(api.getMessage()).contains("watch=true") ? "watch" : "list";
            line = kind + scope() + ": the API answered 403 Forbidden to " + verb + " (" + statusMessage(api)
                    + "); its names are not served until RBAC grants list and watch on " + kind + " (retrying)";
            if (!line.equals(lastReport)) {
                log.error(line);
            }
        } else if (ExceptionHandler.isDeserializationException(t)) {
            line = kind + scope() + ": a watch event could not be decoded (" + rootMessage(t)
                    + "); restarting the informer with a fresh list";
            if (!line.equals(lastReport)) {
                log.warn(line);
            }
        }
        lastReport = line;
    }

    private String scope() {
        return namespaces.isEmpty() ? " (all namespaces)" : " " + namespaces;
    }

    private static KubernetesClientException clientException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() != 0) {
                return k;
            }
            if (c instanceof WatcherException w && w.asClientException().getCode() != 0) {
                return w.asClientException();
            }
        }
        return null;
    }

    private static String statusMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    /** Starts every informer; the future completes once all have listed (synced). */
    CompletableFuture<Void> start() {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (SharedIndexInformer<T> i : informers) {
            started.add(i.start().toCompletableFuture());
        }
        return CompletableFuture.allOf(started.toArray(new CompletableFuture[0]));
    }

    /** Whether the API refuses this kind: the last failure was 403 and an informer is not watching since. */
    boolean forbidden() {
        return forbidden && informers.stream().anyMatch(i -> !i.isWatching());
    }

    boolean synced() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The cached object, or null. */
    T get(String namespace, String name) {
        String key = namespace + "/" + name;
        for (SharedIndexInformer<T> i : informers) {
            T t = i.getStore().getByKey(key);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    List<T> byIndex(String index, String key) {
        List<T> all = new ArrayList<>();
        informers.forEach(i -> all.addAll(i.getIndexer().byIndex(index, key)));
        return all;
    }

    void forEach(Consumer<T> action) {
        informers.forEach(i -> i.getStore().list().forEach(action));
    }

    /** For the start-up log: which kind is still unsynced and why. */
    String describe() {
        Throwable t = lastError.get();
        return kind + (namespaces.isEmpty() ? " (all namespaces)" : " " + namespaces)
                + (synced() ? " synced" : " not synced" + (t == null ? "" : ": " + t));
    }

    @Override
    public void close() {
        for (SharedIndexInformer<T> i : informers) {
            try {
                i.stop();
            } catch (RuntimeException e) {
                log.debug("stopping {} informer", kind, e);
            }
        }
    }
}
