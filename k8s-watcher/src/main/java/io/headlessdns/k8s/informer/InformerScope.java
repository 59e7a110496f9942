package io.headlessdns.k8s.informer;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the informers watch: every namespace (an empty list) or only the given ones, and optionally only the
 * Services and EndpointSlices matching a label selector (CoreDNS's {@code namespaces} and {@code labels}
 * options). The selector is not applied to Pods: pod records are keyed by IP, not by service.
 */
public record InformerScope(List<String> namespaces, String labelSelector) {

    private static final String KEY = "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";
    private static final String VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
    /** One requirement of the Kubernetes label selector grammar (k8s.io/apimachinery labels.Parse). */
    private static final Pattern REQUIREMENT = Pattern.compile("\\s*(!?\\s*" + KEY + "|" + KEY
            + "\\s*(=|==|!=)\\s*" + VALUE + "|" + KEY + "\\s+(in|notin)\\s*\\(\\s*" + VALUE
            + "(\\s*,\\s*" + VALUE + ")*\\s*\\))\\s*");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public InformerScope {
        namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces")).stream().distinct().toList();
        for (String ns : namespaces) {
            if (!NAMESPACE.matcher(ns).matches()) {
                throw new IllegalArgumentException("--namespace: '" + ns + "' is not a namespace name (RFC 1123 label)");
            }
        }
        if (labelSelector != null && labelSelector.isBlank()) {
            labelSelector = null;
        }
        if (labelSelector != null && !validSelector(labelSelector)) {
            throw new IllegalArgumentException("--label-selector: cannot parse '" + labelSelector
                    + "' (expected e.g. app=web,tier!=cache,env in (a,b),!legacy)");
        }
    }

    public static InformerScope everything() {
        return new InformerScope(List.of(), null);
    }

    public boolean allNamespaces() {
        return namespaces.isEmpty();
    }

    private static boolean validSelector(String selector) {
        // split on commas outside parentheses, then match each requirement
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= selector.length(); i++) {
            char c = i == selector.length() ? ',' : selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                if (!REQUIREMENT.matcher(selector.substring(start, i)).matches()) {
                    return false;
                }
                start = i + 1;
            }
            if (depth < 0 || depth > 1) {
                return false;
            }
        }
        return depth == 0;
    }
}
