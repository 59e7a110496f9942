package io.headlessdns.k8s.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.shrink.ServiceDraft;
import io.headlessdns.k8s.shrink.ShrinkRules;
import io.headlessdns.k8s.simulate.LabeledPod;
import io.headlessdns.k8s.simulate.StatefulSetSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The shared {@link ShrinkRules} applied to objects read from files: a rejected object's error names the
 * file and line it was written at. Also reads StatefulSets, which only the manifest source needs (it stands
 * in for the StatefulSet controller).
 */
final class Shrink {

    static final String SERVICE_NAME_LABEL = ShrinkRules.SERVICE_NAME_LABEL;

    private Shrink() {
    }

    static String namespace(HasMetadata o) {
        return ShrinkRules.namespace(o);
    }

    static String name(Sourced<? extends HasMetadata> o) throws ManifestException {
        return located(o, () -> ShrinkRules.name(o.object()));
    }

    static ServiceDraft service(Sourced<Service> s) throws ManifestException {
        return located(s, () -> ShrinkRules.service(s.object()));
    }

    static List<EndpointView> endpoints(Sourced<EndpointSlice> s) throws ManifestException {
        return located(s, () -> ShrinkRules.endpoints(s.object()));
    }

    static Instant triggerTime(EndpointSlice slice) {
        return ShrinkRules.triggerTime(slice);
    }

    static LabeledPod pod(Sourced<Pod> s) throws ManifestException {
        return located(s, () -> ShrinkRules.pod(s.object()));
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
                || sts.getSpec().getTemplate().getMetadata().getLabels() == null
                ? Map.of() : sts.getSpec().getTemplate().getMetadata().getLabels();
        return new StatefulSetSpec(namespace(sts), name, sts.getSpec().getServiceName(), replicas, labels);
    }

    private interface Rule<T> {
        T apply();
    }

    private static <T> T located(Sourced<?> s, Rule<T> rule) throws ManifestException {
        try {
            return rule.apply();
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }
}
