package io.headlessdns.k8s.shrink;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conversion rules from fabric8 objects to the plain model, shared by both sources (manifest files and
 * API informers) so they cannot drift apart. Kubernetes DNS spec 1.1.0 and the EndpointSlice API decide
 * what is kept; the defaults Kubernetes applies on admission (namespace {@code default}, unset endpoint
 * conditions) are applied here. An object the rules cannot convert is rejected with an
 * {@link IllegalArgumentException} whose message names the object; callers add where it came from.
 */
public final class ShrinkRules {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

    private ShrinkRules() {
    }

    public static String namespace(HasMetadata o) {
        String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /** The object's name; rejects an object without one. */
    public static String name(HasMetadata o) {
        String name = o.getMetadata() == null ? null : o.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(o.getKind() + " without metadata.name");
        }
        return name;
    }

    public static ServiceDraft service(Service s) {
        ServiceKey key = new ServiceKey(namespace(s), name(s));
        ServiceSpec spec = Objects.requireNonNullElseGet(s.getSpec(), ServiceSpec::new);
        List<PortView> ports = new ArrayList<>();
        List<PortView> endpointPorts = new ArrayList<>();
        List<ServicePort> declared = spec.getPorts() == null ? List.of() : spec.getPorts();
        for (int i = 0; i < declared.size(); i++) {
            ServicePort p = declared.get(i);
            if (p == null) { // "ports: [-]" in hand-written YAML; the API server never sends one
                throw new IllegalArgumentException("Service " + key + ": spec.ports[" + i + "] is empty");
            }
            if (p.getPort() == null) {
                throw new IllegalArgumentException("Service " + key + ": spec.ports[" + i + "].port is required");
            }
            PortView port = new PortView(p.getName(), p.getPort(), p.getProtocol());
            ports.add(port);
            IntOrString target = p.getTargetPort();
            // a named targetPort needs the container's port list; the service port is the honest fallback
            int targetPort = target != null && target.getIntVal() != null ? target.getIntVal() : p.getPort();
            endpointPorts.add(new PortView(port.name(), targetPort, port.protocol()));
        }
        SelectorService selection = new SelectorService(key, orEmpty(spec.getSelector()), endpointPorts);
        boolean notReady = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses());
        if ("ExternalName".equals(spec.getType())) {
            if (spec.getExternalName() == null || spec.getExternalName().isEmpty()) {
                throw new IllegalArgumentException("Service " + key + ": type ExternalName needs spec.externalName");
            }
            return new ServiceDraft(key, ServiceType.EXTERNAL_NAME, List.of(), spec.getExternalName(), notReady,
                    ports, selection);
        }
        List<String> ips = new ArrayList<>();
        if (spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) {
            spec.getClusterIPs().stream().filter(ip -> ip != null && !ip.isEmpty()).forEach(ips::add);
        } else if (spec.getClusterIP() != null && !spec.getClusterIP().isEmpty()) {
            ips.add(spec.getClusterIP());
        }
        if (ips.contains("None")) {
            return new ServiceDraft(key, ServiceType.HEADLESS, List.of(), null, notReady, ports, selection);
        }
        return new ServiceDraft(key, ServiceType.CLUSTER_IP, ips, null, notReady, ports, selection);
    }

    /** The service a slice belongs to (its {@value #SERVICE_NAME_LABEL} label), or null when unlabelled. */
    public static ServiceKey owner(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata() == null ? null : slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null || service.isEmpty() ? null : new ServiceKey(namespace(slice), service);
    }

    /** FQDN slices carry names, not addresses DNS can serve. */
    public static boolean servesAddresses(EndpointSlice slice) {
        return !"FQDN".equals(slice.getAddressType());
    }

    /** The endpoints of one slice in the slice's order, each carrying the slice's ports. */
    public static List<EndpointView> endpoints(EndpointSlice slice) {
        List<PortView> ports = new ArrayList<>();
        if (slice.getPorts() != null) {
            for (EndpointPort p : slice.getPorts()) {
                // a null port means "all ports" in the API, which DNS cannot publish as SRV
                if (p != null && p.getPort() != null) {
                    ports.add(new PortView(p.getName(), p.getPort(), p.getProtocol()));
                }
            }
        }
        List<EndpointView> endpoints = new ArrayList<>();
        for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
            if (e == null) {
                continue; // an empty list item ("endpoints: [-]") has nothing to serve
            }
            EndpointConditions c = Objects.requireNonNullElseGet(e.getConditions(), EndpointConditions::new);
            boolean ready = c.getReady() == null || c.getReady();
            boolean serving = c.getServing() == null ? ready : c.getServing();
            boolean terminating = Boolean.TRUE.equals(c.getTerminating());
            ObjectReference ref = e.getTargetRef();
            String pod = ref != null && "Pod".equals(ref.getKind()) ? ref.getName() : null;
            List<String> addresses = e.getAddresses() == null ? List.of()
                    : e.getAddresses().stream().filter(Objects::nonNull).toList();
            endpoints.add(new EndpointView(addresses, e.getHostname(), ready, serving, terminating, pod, ports));
        }
        return endpoints;
    }

    /** The slice's last-change-trigger-time, or null when absent or not RFC 3339. */
    public static Instant triggerTime(EndpointSlice slice) {
        Map<String, String> annotations = slice.getMetadata() == null ? null : slice.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(TRIGGER_TIME);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // only a latency metric depends on it; a bad value must not reject the object
            return null;
        }
    }

    /** The later of two trigger times, either of which may be null. */
    public static Instant newest(Instant a, Instant b) {
        return a == null ? b : b == null || !b.isAfter(a) ? a : b;
    }

    public static LabeledPod pod(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getPodIPs() != null) {
                for (PodIP ip : pod.getStatus().getPodIPs()) {
                    if (ip != null && ip.getIp() != null && !ip.getIp().isEmpty()) {
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
        PodView view = new PodView(namespace(pod), name(pod), ips, hostname, subdomain);
        return new LabeledPod(view, orEmpty(pod.getMetadata().getLabels()));
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
