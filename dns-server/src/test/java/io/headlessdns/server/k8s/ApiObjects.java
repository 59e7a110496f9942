package io.headlessdns.server.k8s;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Services and EndpointSlices shaped as the API server and the EndpointSlice controller write them. */
public final class ApiObjects {
    private ApiObjects() {
    }

    public static Service headless(String ns, String name, boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(Map.of("app", name))
                .withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .endSpec().build();
    }

    public static Service clusterIp(String ns, String name, String ip) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).withClusterIPs(ip).withSelector(Map.of("app", name))
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .endSpec().build();
    }

    /** A StatefulSet pod's endpoint: hostname and target pod {@code <service>-<ordinal>}. */
    public static Endpoint pod(String hostname, String ip, boolean ready) {
        return new EndpointBuilder().withAddresses(ip).withHostname(hostname)
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(hostname).build())
                .build();
    }

    public static EndpointSlice slice(String ns, String name, String service, List<Endpoint> endpoints) {
        return slice(ns, name, service, endpoints, null);
    }

    public static EndpointSlice slice(String ns, String name, String service, List<Endpoint> endpoints, Instant trigger) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", service, "endpointslice.kubernetes.io/managed-by",
                        "endpointslice-controller.k8s.io"))
                .withAnnotations(trigger == null ? Map.of()
                        : Map.of("endpoints.kubernetes.io/last-change-trigger-time", trigger.toString()))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .withEndpoints(endpoints).build();
    }
}
