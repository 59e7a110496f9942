package io.headlessdns.k8s.simulate;

import io.headlessdns.k8s.model.PodView;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the pods a StatefulSet controller would: {@code <sts>-0 .. <sts>-(replicas-1)}, each with
 * hostname = pod name and subdomain = the governing service (which is what gives every pod its
 * {@code <pod>.<service>.<ns>.svc} name), the template's labels, and an address from the pod CIDR.
 */
public final class StatefulSetController {

    private StatefulSetController() {
    }

    /** The pods of {@code sts} in ordinal order; allocates their addresses from {@code podIps}. */
    public static List<LabeledPod> pods(StatefulSetSpec sts, IpAllocator podIps) {
        List<LabeledPod> pods = new ArrayList<>(sts.replicas());
        for (int ordinal = 0; ordinal < sts.replicas(); ordinal++) {
            String name = sts.name() + "-" + ordinal;
            String ip = podIps.allocate(sts.namespace() + "/" + name);
            PodView pod = new PodView(sts.namespace(), name, List.of(ip), name, sts.serviceName());
            pods.add(new LabeledPod(pod, sts.templateLabels()));
        }
        return pods;
    }
}
