package io.headlessdns.server.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset deploy/ uses: resources
 * (files and kustomization folders), components, and JSON 6902 patches with a kind/name target. CI has
 * no kubectl that knows components (Debian's is 1.20, with kustomize 2.0.3), so the manifests tests
 * render with this; {@code DeployManifestsTest} checks it renders exactly what kubectl renders wherever
 * kubectl is installed. Any other kustomize field is an error, not silently ignored.
 */
final class Kustomize {
    private static final ObjectMapper YAML = Serialization.yamlMapper();
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "components", "patches");

    private Kustomize() {
    }

    /** The rendered objects as fabric8's model (a CRD kind such as ServiceMonitor as a generic resource). */
    static List<HasMetadata> objects(List<ObjectNode> rendered) {
        List<HasMetadata> out = new ArrayList<>();
        for (ObjectNode o : rendered) {
            out.add(MODEL.unmarshal(o.toString(), HasMetadata.class));
        }
        return out;
    }

    /** Renders the kustomization in {@code dir} (a folder holding kustomization.yaml). */
    static List<ObjectNode> render(Path dir) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        apply(dir, out, "Kustomization");
        return out;
    }

    /** {@code kubectl kustomize dir}, parsed; null when no kubectl is installed. */
    static List<ObjectNode> renderWithKubectl(Path dir) throws IOException, InterruptedException {
        Path kubectl = Path.of("/usr/bin/kubectl");
        if (!Files.isExecutable(kubectl)) {
            return null;
        }
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("kubectl kustomize " + dir + " failed");
        }
        return documents(yaml);
    }

    private static void apply(Path dir, List<ObjectNode> acc, String expectedKind) throws IOException {
        ObjectNode k = (ObjectNode) YAML.readTree(Files.readString(dir.resolve("kustomization.yaml")));
        for (String field : k.propertyNames()) {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir + ": kustomize field '" + field + "' is outside the rendered subset");
            }
        }
        if (!expectedKind.equals(k.path("kind").asString())) {
            throw new IllegalArgumentException(dir + " is not a " + expectedKind);
        }
        List<ObjectNode> own = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asString()).normalize();
            if (Files.isDirectory(p)) {
                apply(p, own, "Kustomization");
            } else {
                own.addAll(documents(Files.readString(p)));
            }
        }
        for (ObjectNode o : own) {
            for (ObjectNode seen : acc) {
                if (id(seen).equals(id(o))) {
                    throw new IllegalArgumentException(dir + ": " + id(o) + " is defined twice");
                }
            }
        }
        acc.addAll(own);
        for (JsonNode c : k.path("components")) {
            apply(dir.resolve(c.asString()).normalize(), acc, "Component");
        }
        for (JsonNode patch : k.path("patches")) {
            ArrayNode ops = (ArrayNode) YAML.readTree(Files.readString(dir.resolve(patch.path("path").asString())));
            String kind = patch.path("target").path("kind").asString();
            String name = patch.path("target").path("name").asString();
            int matched = 0;
            for (ObjectNode o : acc) {
                if (o.path("kind").asString().equals(kind) && o.path("metadata").path("name").asString().equals(name)) {
                    for (JsonNode op : ops) {
                        jsonPatch(o, op);
                    }
                    matched++;
                }
            }
            if (matched == 0) {
                throw new IllegalArgumentException(dir + ": patch target " + kind + "/" + name + " matches nothing");
            }
        }
    }

    /** One RFC 6902 operation: add, replace or remove (what kustomize's patches use here). */
    private static void jsonPatch(ObjectNode doc, JsonNode op) {
        JsonPointer path = JsonPointer.compile(op.path("path").asString());
        JsonNode parent = doc.at(path.head());
        String last = path.last().getMatchingProperty();
        String verb = op.path("op").asString();
        if (parent instanceof ObjectNode obj) {
            if (!verb.equals("add") && !obj.has(last)) {
                throw new IllegalArgumentException("no " + path + " to " + verb);
            }
            if (verb.equals("remove")) {
                obj.remove(last);
            } else {
                obj.set(last, op.get("value"));
            }
        } else if (parent instanceof ArrayNode arr) {
            int index = last.equals("-") ? arr.size() : Integer.parseInt(last);
            switch (verb) {
                case "add" -> arr.insert(index, op.get("value"));
                case "replace" -> arr.set(index, op.get("value"));
                case "remove" -> arr.remove(index);
                default -> throw new IllegalArgumentException("unsupported op " + verb);
            }
        } else {
            throw new IllegalArgumentException("no parent for " + path);
        }
    }

    static String id(JsonNode o) {
        return o.path("kind").asString() + "/" + o.path("metadata").path("namespace").asString("")
                + "/" + o.path("metadata").path("name").asString();
    }

    private static List<ObjectNode> documents(String yaml) {
        List<ObjectNode> out = new ArrayList<>();
        Iterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml);
        while (docs.hasNext()) {
            JsonNode d = docs.next();
            if (d instanceof ObjectNode o && !o.isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }

    /** Objects by kind/namespace/name, so two renderings compare regardless of kustomize's output order. */
    static Map<String, JsonNode> byId(List<ObjectNode> objects) {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (ObjectNode o : objects) {
            out.put(id(o), o);
        }
        return out;
    }
}
