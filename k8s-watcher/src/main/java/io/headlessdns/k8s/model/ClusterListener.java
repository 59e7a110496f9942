package io.headlessdns.k8s.model;

/**
 * Receives the cluster as a stream of per-object changes. Both sources (the Kubernetes API informers
 * and the manifest files) call it, so the DNS side cannot tell them apart.
 *
 * <p>Calls come from one thread at a time (each source serialises its own calls); implementations
 * may assume a single writer. A change is keyed by identity: {@code serviceChanged} replaces whatever
 * was known for the same {@link ServiceKey}.
 */
public interface ClusterListener {

    void serviceChanged(ServiceView service);

    void serviceRemoved(ServiceKey key);

    void podChanged(PodView pod);

    void podRemoved(String namespace, String name);

    /** A namespace appeared or went away; an existing namespace is a name in DNS even without services. */
    void namespaceChanged(String namespace, boolean exists);

    /** The source has delivered its complete initial state (the informers synced, the files were read). */
    void synced();

    /**
     * What was delivered so far is the whole cluster: every list has finished. Follows {@link #synced()}
     * at once, except when a start-up timeout made {@code synced()} come first (the API was unreachable);
     * then it comes when the API has answered. A warm start from a snapshot removes what the snapshot had
     * and the cluster does not only here, so no name goes away on a guess.
     */
    default void complete() {
    }
}
