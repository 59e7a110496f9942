package io.headlessdns.k8s.simulate;

import java.util.Map;
import java.util.Objects;

/**
 * The part of a StatefulSet that decides which pods its controller creates: the governing service
 * (the pods' subdomain), the replica count and the labels of the pod template.
 */
public record StatefulSetSpec(
        String namespace, String name, String serviceName, int replicas, Map<String, String> templateLabels) {

    public StatefulSetSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serviceName, "serviceName");
        templateLabels = Map.copyOf(Objects.requireNonNull(templateLabels, "templateLabels"));
        if (replicas < 0) {
            throw new IllegalArgumentException(namespace + "/" + name + ": negative replicas " + replicas);
        }
    }
}
