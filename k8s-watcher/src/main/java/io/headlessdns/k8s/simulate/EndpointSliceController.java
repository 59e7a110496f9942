package io.headlessdns.k8s.simulate;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Derives a service's endpoints from the pods its selector matches, as the EndpointSlice controller
 * does: one ready endpoint per pod with an address, the pod as target, and the pod's hostname only when
 * the pod's subdomain is this service (Kubernetes DNS spec 2.4.1: the per-pod name lives under the
 * governing service only).
 */
public final class EndpointSliceController {

    private EndpointSliceController() {
    }

    /**
     * The endpoints of {@code service} among {@code pods}, in the order the pods are given. A service
     * with an empty selector selects nothing (its endpoints are managed by hand).
     */
    public static List<EndpointView> endpoints(SelectorService service, List<LabeledPod> pods) {
        List<EndpointView> endpoints = new ArrayList<>();
        if (service.selector().isEmpty()) {
            return endpoints;
        }
        for (LabeledPod labeled : pods) {
            PodView pod = labeled.pod();
            if (!pod.namespace().equals(service.key().namespace()) || pod.ips().isEmpty()
                    || !matches(service.selector(), labeled.labels())) {
                continue;
            }
            String hostname = service.key().name().equals(pod.subdomain()) ? pod.hostname() : null;
            endpoints.add(new EndpointView(
                    pod.ips(), hostname, true, true, false, pod.name(), service.endpointPorts()));
        }
        return endpoints;
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
