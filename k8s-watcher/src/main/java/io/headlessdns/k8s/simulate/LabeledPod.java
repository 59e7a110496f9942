package io.headlessdns.k8s.simulate;

import io.headlessdns.k8s.model.PodView;
import java.util.Map;
import java.util.Objects;

/** A pod together with its labels: what a Service selector is matched against. */
public record LabeledPod(PodView pod, Map<String, String> labels) {
    public LabeledPod {
        Objects.requireNonNull(pod, "pod");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    }
}
