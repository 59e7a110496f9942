package io.headlessdns.k8s.manifest;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;

/** The objects of the kinds headless-dns reads, collected from all files in file order. */
final class Manifests {
    final List<Sourced<Namespace>> namespaces = new ArrayList<>();
    final List<Sourced<Service>> services = new ArrayList<>();
    final List<Sourced<EndpointSlice>> slices = new ArrayList<>();
    final List<Sourced<Pod>> pods = new ArrayList<>();
    final List<Sourced<StatefulSet>> statefulSets = new ArrayList<>();
}
