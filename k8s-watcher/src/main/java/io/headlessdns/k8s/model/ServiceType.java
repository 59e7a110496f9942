package io.headlessdns.k8s.model;

/**
 * What DNS makes of a Service. NodePort and LoadBalancer services have a cluster IP and are
 * {@link #CLUSTER_IP} here; {@code clusterIP: None} is {@link #HEADLESS}.
 */
public enum ServiceType {
    CLUSTER_IP,
    HEADLESS,
    EXTERNAL_NAME
}
