package io.headlessdns.k8s.manifest;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads Kubernetes YAML or JSON as {@code kubectl get -o yaml} prints it (several {@code ---}
 * documents, {@code kind: List} and {@code kind: <X>List} with {@code items}) into fabric8 objects of the
 * kinds DNS needs. Other kinds are skipped with one log line each.
 *
 * <p>Design note: documents are first read into Jackson trees with the YAML/JSON parser running over the
 * whole file, so syntax errors carry the real file line. Trees are then bound to fabric8 classes; the tree
 * has no positions, so on a binding error the file is streamed once more along the error's property path
 * to find the line of the offending value. That second pass runs only on failure (and once per List to
 * number its items), which keeps the happy path to one parse.
 */
final class ManifestParser {

    private static final Logger LOG = LoggerFactory.getLogger(ManifestParser.class);

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    // documents are read one after another from one parser, so what follows a document is not an error
    private final ObjectMapper yaml = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** One document of a file: enough to stream to it again. */
    private record Doc(Path file, String text, ObjectMapper mapper, int index, int line) {
    }

    /** Parses {@code text}, the content of {@code file}, adding its objects to {@code into}. */
    void parse(Path file, String text, Manifests into) throws ManifestException {
        ObjectMapper mapper = file.getFileName().toString().endsWith(".json") ? json : yaml;
        try (JsonParser p = mapper.createParser(text)) {
            int index = 0;
            while (p.nextToken() != null) {
                int line = p.currentTokenLocation().getLineNr();
                JsonNode node = mapper.readTree(p);
                // an empty document (a lone "---", or only comments) is legal and holds nothing
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    accept(new Doc(file, text, mapper, index, line), node, List.of(), line, into);
                }
                index++;
            }
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ManifestException(file, line, "not valid " + (mapper == json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private void accept(Doc doc, JsonNode node, List<Object> path, int line, Manifests into)
            throws ManifestException {
        if (!node.isObject()) {
            throw new ManifestException(doc.file(), line, "expected a Kubernetes object, found " + node.getNodeType());
        }
        String kind = node.path("kind").asString("");
        String apiVersion = node.path("apiVersion").asString("");
        if (kind.isEmpty()) {
            throw new ManifestException(doc.file(), line, "object has no kind");
        }
        if (kind.endsWith("List") && node.path("items").isArray()) {
            acceptItems(doc, node.path("items"), append(path, "items"), into);
            return;
        }
        switch (kind + " " + apiVersion) {
            case "Namespace v1" -> into.namespaces.add(bind(doc, node, path, line, Namespace.class));
            case "Service v1" -> into.services.add(bind(doc, node, path, line, Service.class));
            case "Pod v1" -> into.pods.add(bind(doc, node, path, line, Pod.class));
            case "StatefulSet apps/v1" -> into.statefulSets.add(bind(doc, node, path, line, StatefulSet.class));
            case "EndpointSlice discovery.k8s.io/v1" -> into.slices.add(bind(doc, node, path, line, EndpointSlice.class));
            default -> LOG.info("{}:{}: ignoring {} {} ({}): headless-dns reads Namespace, Service, "
                    + "EndpointSlice (discovery.k8s.io/v1), Pod and StatefulSet", doc.file(), line, kind,
                    node.path("metadata").path("name").asString("<unnamed>"), apiVersion);
        }
    }

    private void acceptItems(Doc doc, JsonNode items, List<Object> path, Manifests into) throws ManifestException {
        int[] lines = itemLines(doc, path, items.size());
        for (int i = 0; i < items.size(); i++) {
            accept(doc, items.get(i), append(path, i), lines[i], into);
        }
    }

    private <T> Sourced<T> bind(Doc doc, JsonNode node, List<Object> path, int line, Class<T> type)
            throws ManifestException {
        try {
            return new Sourced<>(serialization.convertValue(node, type), doc.file(), line);
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof JacksonException cause)) {
                throw new ManifestException(doc.file(), line, e.getMessage(), e);
            }
            List<Object> full = new ArrayList<>(path);
            for (JacksonException.Reference r : cause.getPath()) {
                full.add(r.getPropertyName() != null ? r.getPropertyName() : (Object) r.getIndex());
            }
            throw new ManifestException(doc.file(), lineAt(doc, full), type.getSimpleName() + " "
                    + describe(full.subList(path.size(), full.size())) + ": " + cause.getOriginalMessage(), e);
        }
    }

    /** The line of the value at {@code path}, or of the deepest part of it that exists. */
    private static int lineAt(Doc doc, List<Object> path) {
        int line = doc.line();
        try (JsonParser p = doc.mapper().createParser(doc.text())) {
            toDocument(p, doc.index());
            for (Object step : path) {
                if (!step(p, step)) {
                    break;
                }
                line = p.currentTokenLocation().getLineNr();
            }
        } catch (JacksonException e) {
            // the file parsed a moment ago; the deepest line found so far is still the best answer
        }
        return line;
    }

    /** The first line of every element of the array at {@code path}, in one streaming pass. */
    private static int[] itemLines(Doc doc, List<Object> path, int count) {
        int[] lines = new int[count];
        Arrays.fill(lines, doc.line());
        try (JsonParser p = doc.mapper().createParser(doc.text())) {
            toDocument(p, doc.index());
            for (Object step : path) {
                if (!step(p, step)) {
                    return lines;
                }
            }
            if (p.currentToken() == JsonToken.START_ARRAY) {
                for (int i = 0; i < count && p.nextToken() != JsonToken.END_ARRAY; i++) {
                    lines[i] = p.currentTokenLocation().getLineNr();
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            // as in lineAt: fall back to the document's line rather than fail on a second read
        }
        return lines;
    }

    private static void toDocument(JsonParser p, int index) {
        for (int i = 0; i <= index; i++) {
            p.nextToken();
            if (i < index) {
                p.skipChildren();
            }
        }
    }

    /** Moves {@code p} from a container to its member {@code step} (a property name or an index). */
    private static boolean step(JsonParser p, Object step) {
        if (step instanceof String name && p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                boolean match = name.equals(p.currentName());
                p.nextToken();
                if (match) {
                    return true;
                }
                p.skipChildren();
            }
            return false;
        }
        if (step instanceof Integer index && p.currentToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            for (int i = 0; i < index && p.currentToken() != JsonToken.END_ARRAY; i++) {
                p.skipChildren();
                p.nextToken();
            }
            return p.currentToken() != JsonToken.END_ARRAY;
        }
        return false;
    }

    private static String describe(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(step);
            }
        }
        return sb.length() == 0 ? "object" : sb.toString();
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return List.copyOf(longer);
    }
}
