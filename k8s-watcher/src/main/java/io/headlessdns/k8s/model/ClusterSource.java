package io.headlessdns.k8s.model;

/**
 * Where the cluster comes from: the Kubernetes API or manifest files. {@link #start} delivers the
 * initial state and then every change to the listener; {@link #close} stops it and is idempotent.
 */
public interface ClusterSource extends AutoCloseable {

    /**
     * Starts delivering changes. Throws when the source cannot start at all (an unreadable path,
     * an API server that refuses the credentials), with a message that names the cause.
     */
    void start(ClusterListener listener) throws Exception;

    /** A one-line description for the start-up log, e.g. {@code manifests [deploy/examples]}. */
    String describe();

    @Override
    void close();
}
