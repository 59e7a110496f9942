package io.headlessdns.k8s.model;

/**
 * Where the cluster comes from: the Kubernetes API or manifest files. {@link #start} delivers the
 * initial state and then every change to the listener; {@link #close} stops it and is idempotent.
 */
public interface ClusterSource extends AutoCloseable {

    /**
     * Starts delivering changes. Throws when the source cannot start at all (an unreadable path, an
     * unusable kubeconfig), with a message that names the cause. It may return before the initial state
     * is complete (the API source returns at once and keeps retrying an unreachable API server); the
     * listener's {@code synced()} marks the moment the state is complete.
     */
    void start(ClusterListener listener) throws Exception;

    /**
     * Whether the source may read everything it needs. False while the API refuses a list or watch (HTTP
     * 403: RBAC lacks a verb): the answers would be incomplete, so the server reports not ready.
     */
    default boolean authorized() {
        return true;
    }

    /** A one-line description for the start-up log, e.g. {@code manifests [deploy/examples]}. */
    String describe();

    @Override
    void close();
}
