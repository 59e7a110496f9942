package io.headlessdns.k8s.manifest;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.shrink.ServiceDraft;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.k8s.simulate.EndpointSliceController;
import io.headlessdns.k8s.simulate.IpAllocator;
import io.headlessdns.k8s.simulate.LabeledPod;
import io.headlessdns.k8s.simulate.StatefulSetController;
import io.headlessdns.k8s.simulate.StatefulSetSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the parsed objects of all files into one {@link ClusterSnapshot}, standing in for the control
 * plane where the files are silent: a ClusterIP service without an IP gets one, a StatefulSet without
 * pods or slices gets its pods, a selector service without slices gets its endpoints from the pods.
 *
 * <p>Design note: every allocation happens in sorted key order after all explicit addresses are
 * reserved, so the same files always produce the same addresses, whatever order the files list objects in.
 */
final class SnapshotBuilder {

    private SnapshotBuilder() {
    }

    static ClusterSnapshot build(Manifests m) throws ManifestException {
        Map<ServiceKey, ServiceDraft> drafts = new TreeMap<>();
        for (Sourced<Service> s : m.services) {
            ServiceDraft d = Shrink.service(s);
            if (drafts.put(d.key(), d) != null) {
                throw s.error("Service " + d.key() + " is defined twice");
            }
        }
        Map<ServiceKey, List<Sourced<EndpointSlice>>> slices = slicesByService(m.slices);
        Map<String, Sourced<Pod>> givenPods = new TreeMap<>();
        for (Sourced<Pod> p : m.pods) {
            String key = ClusterSnapshot.podKey(Shrink.namespace(p.object()), Shrink.name(p));
            if (givenPods.put(key, p) != null) {
                throw p.error("Pod " + key + " is defined twice");
            }
        }

        IpAllocator podIps = IpAllocator.forPods();
        List<LabeledPod> pods = new ArrayList<>();
        for (Sourced<Pod> p : givenPods.values()) {
            LabeledPod pod = Shrink.pod(p);
            pod.pod().ips().forEach(podIps::reserve);
            pods.add(pod);
        }
        // a hand-written pod without status is given an address, as the kubelet would
        pods.replaceAll(p -> p.pod().ips().isEmpty() ? withIp(p, podIps) : p);
        pods.addAll(simulatedStatefulSetPods(m.statefulSets, drafts, slices, givenPods, podIps));

        IpAllocator serviceIps = IpAllocator.forServices();
        drafts.values().forEach(d -> d.clusterIPs().forEach(serviceIps::reserve));
        Map<ServiceKey, ServiceView> services = new TreeMap<>();
        for (ServiceDraft d : drafts.values()) {
            List<String> ips = d.type() == ServiceType.CLUSTER_IP && d.clusterIPs().isEmpty()
                    ? List.of(serviceIps.allocate(d.key().toString())) : d.clusterIPs();
            List<Sourced<EndpointSlice>> own = slices.getOrDefault(d.key(), List.of());
            List<EndpointView> endpoints = new ArrayList<>();
            Instant trigger = null;
            for (Sourced<EndpointSlice> s : own) {
                endpoints.addAll(Shrink.endpoints(s));
                Instant t = Shrink.triggerTime(s.object());
                trigger = t != null && (trigger == null || t.isAfter(trigger)) ? t : trigger;
            }
            if (own.isEmpty() && d.type() != ServiceType.EXTERNAL_NAME) {
                endpoints = EndpointSliceController.endpoints(d.selection(), pods);
            }
            services.put(d.key(), d.view(ips, endpoints, trigger));
        }

        Map<String, PodView> podViews = new TreeMap<>();
        pods.forEach(p -> podViews.put(ClusterSnapshot.podKey(p.pod().namespace(), p.pod().name()), p.pod()));
        TreeSet<String> namespaces = new TreeSet<>();
        for (Sourced<Namespace> n : m.namespaces) {
            namespaces.add(Shrink.name(n));
        }
        services.keySet().forEach(k -> namespaces.add(k.namespace()));
        podViews.values().forEach(p -> namespaces.add(p.namespace()));
        return new ClusterSnapshot(services, podViews, namespaces);
    }

    /** Slices of each service sorted by slice name; FQDN slices carry no addresses DNS can serve. */
    private static Map<ServiceKey, List<Sourced<EndpointSlice>>> slicesByService(List<Sourced<EndpointSlice>> all)
            throws ManifestException {
        Map<ServiceKey, List<Sourced<EndpointSlice>>> byService = new HashMap<>();
        Map<String, Sourced<EndpointSlice>> seen = new HashMap<>();
        for (Sourced<EndpointSlice> s : all) {
            String ns = Shrink.namespace(s.object());
            String name = Shrink.name(s);
            if (seen.put(ns + "/" + name, s) != null) {
                throw s.error("EndpointSlice " + ns + "/" + name + " is defined twice");
            }
            Map<String, String> labels = s.object().getMetadata().getLabels();
            String service = labels == null ? null : labels.get(Shrink.SERVICE_NAME_LABEL);
            if (service == null || service.isEmpty()) {
                throw s.error("EndpointSlice " + ns + "/" + name + " has no label " + Shrink.SERVICE_NAME_LABEL);
            }
            if (!"FQDN".equals(s.object().getAddressType())) {
                byService.computeIfAbsent(new ServiceKey(ns, service), k -> new ArrayList<>()).add(s);
            }
        }
        byService.values().forEach(l -> l.sort(Comparator.comparing(s -> s.object().getMetadata().getName())));
        return byService;
    }

    /**
     * Pods for each StatefulSet whose governing service is in the files while neither its pods nor that
     * service's slices are: the files then describe intent, and the controllers would create these.
     */
    private static List<LabeledPod> simulatedStatefulSetPods(List<Sourced<StatefulSet>> statefulSets,
            Map<ServiceKey, ServiceDraft> services, Map<ServiceKey, List<Sourced<EndpointSlice>>> slices,
            Map<String, Sourced<Pod>> givenPods, IpAllocator podIps) throws ManifestException {
        Map<String, StatefulSetSpec> specs = new TreeMap<>();
        for (Sourced<StatefulSet> s : statefulSets) {
            String key = Shrink.namespace(s.object()) + "/" + Shrink.name(s);
            StatefulSetSpec spec = Shrink.statefulSet(s);
            if (specs.containsKey(key)) {
                throw s.error("StatefulSet " + key + " is defined twice");
            }
            specs.put(key, spec);
        }
        List<LabeledPod> pods = new ArrayList<>();
        for (StatefulSetSpec sts : specs.values()) {
            if (sts == null) {
                continue;
            }
            ServiceKey governing = new ServiceKey(sts.namespace(), sts.serviceName());
            if (services.containsKey(governing) && !slices.containsKey(governing)
                    && givenPods.values().stream().noneMatch(p -> ownedBy(p.object(), sts))) {
                pods.addAll(StatefulSetController.pods(sts, podIps));
            }
        }
        return pods;
    }

    private static boolean ownedBy(Pod pod, StatefulSetSpec sts) {
        if (!Shrink.namespace(pod).equals(sts.namespace())) {
            return false;
        }
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners != null && owners.stream()
                .anyMatch(o -> "StatefulSet".equals(o.getKind()) && sts.name().equals(o.getName()))) {
            return true;
        }
        String name = pod.getMetadata().getName();
        String prefix = sts.name() + "-";
        return name.startsWith(prefix) && name.length() > prefix.length()
                && name.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }

    private static LabeledPod withIp(LabeledPod p, IpAllocator podIps) {
        PodView v = p.pod();
        String ip = podIps.allocate(ClusterSnapshot.podKey(v.namespace(), v.name()));
        return new LabeledPod(new PodView(v.namespace(), v.name(), List.of(ip), v.hostname(), v.subdomain()),
                p.labels());
    }
}
