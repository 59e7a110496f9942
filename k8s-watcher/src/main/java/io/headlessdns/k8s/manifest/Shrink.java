package io.headlessdns.k8s.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.simulate.LabeledPod;
import io.headlessdns.k8s.simulate.SelectorService;
import io.headlessdns.k8s.simulate.StatefulSetSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shrinks fabric8 objects to the plain model at the edge (Kubernetes DNS spec 1.1.0 and the EndpointSlice
 * API decide what is kept). Nothing fabric8 survives past this class; the defaults Kubernetes applies on
 * admission (namespace {@code default}, unset endpoint conditions) are applied here.
 */
final class Shrink {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

    /**
     * A Service before its endpoints are known. {@code clusterIPs} is empty for a ClusterIP service whose
     * manifest gives none (one is allocated later).
     */
    record ServiceDraft(ServiceKey key, ServiceType type, List<String> clusterIPs, String externalName,
            boolean publishNotReadyAddresses, List<PortView> ports, SelectorService selection) {
    }

    private Shrink() {
    }

    static String namespace(HasMetadata o) {
        String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    static String name(Sourced<? extends HasMetadata> o) throws ManifestException {
        HasMetadata m = o.object();
        String name = m.getMetadata() == null ? null : m.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            throw o.error(m.getKind() + " without metadata.name");
        }
        return name;
    }

    static ServiceDraft service(Sourced<Service> s) throws ManifestException {
        ServiceKey key = new ServiceKey(namespace(s.object()), name(s));
        ServiceSpec spec = Objects.requireNonNullElseGet(s.object().getSpec(), ServiceSpec::new);
        List<PortView> ports = new ArrayList<>();
        List<PortView> endpointPorts = new ArrayList<>();
        List<ServicePort> declared = spec.getPorts() == null ? List.of() : spec.getPorts();
        for (int i = 0; i < declared.size(); i++) {
            ServicePort p = declared.get(i);
            if (p.getPort() == null) {
                throw s.error("Service " + key + ": spec.ports[" + i + "].port is required");
            }
            PortView port = port(s, p.getName(), p.getPort(), p.getProtocol());
            ports.add(port);
            IntOrString target = p.getTargetPort();
            // a named targetPort needs the container's port list; the service port is the honest fallback
            int targetPort = target != null && target.getIntVal() != null ? target.getIntVal() : p.getPort();
            endpointPorts.add(port(s, port.name(), targetPort, port.protocol()));
        }
        SelectorService selection = new SelectorService(key, orEmpty(spec.getSelector()), endpointPorts);
        boolean notReady = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses());
        if ("ExternalName".equals(spec.getType())) {
            if (spec.getExternalName() == null || spec.getExternalName().isEmpty()) {
                throw s.error("Service " + key + ": type ExternalName needs spec.externalName");
            }
            return new ServiceDraft(key, ServiceType.EXTERNAL_NAME, List.of(), spec.getExternalName(), notReady,
                    ports, selection);
        }
        List<String> ips = new ArrayList<>();
        if (spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) {
            ips.addAll(spec.getClusterIPs());
        } else if (spec.getClusterIP() != null && !spec.getClusterIP().isEmpty()) {
            ips.add(spec.getClusterIP());
        }
        if (ips.contains("None")) {
            return new ServiceDraft(key, ServiceType.HEADLESS, List.of(), null, notReady, ports, selection);
        }
        return new ServiceDraft(key, ServiceType.CLUSTER_IP, ips, null, notReady, ports, selection);
    }

    /** The endpoints of one slice in the slice's order, each carrying the slice's ports. */
    static List<EndpointView> endpoints(Sourced<EndpointSlice> s) throws ManifestException {
        EndpointSlice slice = s.object();
        List<PortView> ports = new ArrayList<>();
        if (slice.getPorts() != null) {
            for (EndpointPort p : slice.getPorts()) {
                // a null port means "all ports" in the API, which DNS cannot publish as SRV
                if (p.getPort() != null) {
                    ports.add(port(s, p.getName(), p.getPort(), p.getProtocol()));
                }
            }
        }
        List<EndpointView> endpoints = new ArrayList<>();
        for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
            EndpointConditions c = Objects.requireNonNullElseGet(e.getConditions(), EndpointConditions::new);
            boolean ready = c.getReady() == null || c.getReady();
            boolean serving = c.getServing() == null ? ready : c.getServing();
            boolean terminating = Boolean.TRUE.equals(c.getTerminating());
            ObjectReference ref = e.getTargetRef();
            String pod = ref != null && "Pod".equals(ref.getKind()) ? ref.getName() : null;
            List<String> addresses = e.getAddresses() == null ? List.of() : e.getAddresses();
            endpoints.add(new EndpointView(addresses, e.getHostname(), ready, serving, terminating, pod, ports));
        }
        return endpoints;
    }

    /** The slice's last-change-trigger-time, or null when absent or not RFC 3339. */
    static Instant triggerTime(EndpointSlice slice) {
        Map<String, String> annotations = slice.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(TRIGGER_TIME);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // only a latency metric depends on it; a bad value must not reject the whole manifest set
            return null;
        }
    }

    static LabeledPod pod(Sourced<Pod> s) throws ManifestException {
        Pod pod = s.object();
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getPodIPs() != null) {
                for (PodIP ip : pod.getStatus().getPodIPs()) {
                    if (ip.getIp() != null && !ip.getIp().isEmpty()) {
                        ips.add(ip.getIp());
                    }
                }
            }
            if (ips.isEmpty() && pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty()) {
                ips.add(pod.getStatus().getPodIP());
            }
        }
        String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
        String subdomain = pod.getSpec() == null ? null : pod.getSpec().getSubdomain();
        PodView view = new PodView(namespace(pod), name(s), ips, hostname, subdomain);
        return new LabeledPod(view, orEmpty(pod.getMetadata().getLabels()));
    }

    /** The StatefulSet's controller inputs, or null when it has no governing service. */
    static StatefulSetSpec statefulSet(Sourced<StatefulSet> s) throws ManifestException {
        StatefulSet sts = s.object();
        String name = name(s);
        if (sts.getSpec() == null || sts.getSpec().getServiceName() == null
                || sts.getSpec().getServiceName().isEmpty()) {
            return null;
        }
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        if (replicas < 0) {
            throw s.error("StatefulSet " + namespace(sts) + "/" + name + ": spec.replicas is negative");
        }
        Map<String, String> labels = sts.getSpec().getTemplate() == null
                || sts.getSpec().getTemplate().getMetadata() == null
                ? Map.of() : orEmpty(sts.getSpec().getTemplate().getMetadata().getLabels());
        return new StatefulSetSpec(namespace(sts), name, sts.getSpec().getServiceName(), replicas, labels);
    }

    private static PortView port(Sourced<?> s, String name, int port, String protocol) throws ManifestException {
        try {
            return new PortView(name, port, protocol);
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
