package io.headlessdns.server;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import java.util.List;

/** Builders for the plain model, so tests read like the cluster they describe. */
public final class Fixtures {
    private Fixtures() {
    }

    public static PortView port(String name, int port) {
        return new PortView(name, port, "TCP");
    }

    public static EndpointView ready(String ip, String hostname, PortView... ports) {
        return new EndpointView(List.of(ip), hostname, true, true, false, hostname, List.of(ports));
    }

    public static EndpointView notReady(String ip, String hostname, PortView... ports) {
        return new EndpointView(List.of(ip), hostname, false, false, false, hostname, List.of(ports));
    }

    public static EndpointView terminating(String ip, String hostname, PortView... ports) {
        return new EndpointView(List.of(ip), hostname, false, true, true, hostname, List.of(ports));
    }

    public static ServiceView headless(String ns, String name, List<PortView> ports, EndpointView... endpoints) {
        return new ServiceView(new ServiceKey(ns, name), ServiceType.HEADLESS, List.of(), null, false, ports,
                List.of(endpoints), null, true);
    }

    public static ServiceView headlessPublishNotReady(String ns, String name, List<PortView> ports, EndpointView... endpoints) {
        return new ServiceView(new ServiceKey(ns, name), ServiceType.HEADLESS, List.of(), null, true, ports,
                List.of(endpoints), null, true);
    }

    public static ServiceView clusterIp(String ns, String name, List<String> ips, PortView... ports) {
        return new ServiceView(new ServiceKey(ns, name), ServiceType.CLUSTER_IP, ips, null, false, List.of(ports),
                List.of(), null, true);
    }

    public static ServiceView externalName(String ns, String name, String target) {
        return new ServiceView(new ServiceKey(ns, name), ServiceType.EXTERNAL_NAME, List.of(), target, false, List.of(),
                List.of(), null, false);
    }
}
