package io.headlessdns.server.e2e;

/** Manifest text of a headless service with many ready endpoints in one EndpointSlice. */
final class BigService {
    private BigService() {
    }

    static String yaml(String name, int endpoints) {
        StringBuilder y = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: default}
                spec: {clusterIP: None, ports: [{name: web, port: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %s-1, namespace: default, labels: {kubernetes.io/service-name: %s}}
                addressType: IPv4
                ports: [{name: web, port: 80, protocol: TCP}]
                endpoints:
                """.formatted(name, name, name));
        for (int i = 0; i < endpoints; i++) {
            y.append("  - addresses: [\"10.250.").append(i / 200).append('.').append(i % 200 + 1)
                    .append("\"]\n    conditions: {ready: true}\n");
        }
        return y.toString();
    }
}
