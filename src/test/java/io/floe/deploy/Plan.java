package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code terraform show -json} plan, read the way {@link TerraformPlanTest} asks about it: the
 * values each resource will have ({@code resource_changes[].change.after}) and, for what is only
 * known after apply, the references of its configuration. Immutable.
 */
final class Plan {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A resource (or data source) the plan creates or reads. */
    record Change(String address, String moduleAddress, String type, String name, JsonNode after, JsonNode afterUnknown) {
    }

    private final JsonNode json;
    private final List<Change> changes = new ArrayList<>();

    Plan(JsonNode json) {
        this.json = json;
        assertThat(json.path("errored").asBoolean()).as("the plan errored").isFalse();
        for (JsonNode rc : json.path("resource_changes")) {
            JsonNode actions = rc.at("/change/actions");
            if (actions.toString().contains("delete")) {
                continue;
            }
            changes.add(new Change(rc.path("address").asText(), rc.path("module_address").asText(""), rc.path("type").asText(),
                    rc.path("name").asText(), rc.at("/change/after"), rc.at("/change/after_unknown")));
        }
    }

    List<Change> changes(String type) {
        return changes.stream().filter(c -> c.type().equals(type) && !c.address().contains("data.")).toList();
    }

    List<JsonNode> all(String type) {
        return changes(type).stream().map(Change::after).toList();
    }

    JsonNode one(String type) {
        List<JsonNode> all = all(type);
        assertThat(all).as("exactly one " + type).hasSize(1);
        return all.getFirst();
    }

    List<String> addresses(String type) {
        return changes(type).stream().map(Change::address).toList();
    }

    /** The configuration of {@code address} (e.g. "aws_lb.this") in module call {@code module} of the root. */
    JsonNode config(String module, String address) {
        return configAll(module, null).stream().filter(r -> r.path("address").asText().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + address + " in module " + module));
    }

    /** Configured resources of {@code type} (all when null) in module call {@code module} of the root. */
    List<JsonNode> configAll(String module, String type) {
        List<JsonNode> out = new ArrayList<>();
        json.at("/configuration/root_module/module_calls/" + module + "/module/resources").forEach(r -> {
            if (type == null || type.equals(r.path("type").asText())) {
                out.add(r);
            }
        });
        return out;
    }

    /** Configured resources of {@code type} in the module of {@code target} whose arguments reference it. */
    List<JsonNode> configResourcesReferencing(String type, String target) {
        Change t = changes.stream().filter(c -> c.address().equals(target)).findFirst().orElseThrow();
        String local = t.type() + "." + t.name();
        List<JsonNode> out = new ArrayList<>();
        configModule(t.moduleAddress()).path("resources").forEach(r -> {
            if (type.equals(r.path("type").asText()) && r.path("expressions").toString().contains("\"" + local)) {
                out.add(r);
            }
        });
        return out;
    }

    /**
     * The statements of an inline policy as {@code {"actions": [...], "resources": [...]}}: from the
     * policy itself when the plan knows it, else from the policy document it is made of (whose
     * resources may be unknown; they are left out).
     */
    List<JsonNode> policyStatements(Change policy) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode text = policy.after().path("policy");
        if (text.isTextual()) {
            try {
                for (JsonNode st : asArray(MAPPER.readTree(text.asText()).path("Statement"))) {
                    ObjectNode s = MAPPER.createObjectNode();
                    s.set("actions", asArray(st.path("Action")));
                    s.set("resources", asArray(st.path("Resource")));
                    s.put("effect", st.path("Effect").asText());
                    out.add(s);
                }
            } catch (Exception e) {
                throw new AssertionError("policy of " + policy.address() + " is not JSON", e);
            }
            return out;
        }
        JsonNode cfg = configModule(policy.moduleAddress()).path("resources");
        String docAddress = null;
        for (JsonNode r : cfg) {
            if (r.path("address").asText().equals(policy.type() + "." + policy.name())) {
                for (JsonNode ref : r.at("/expressions/policy/references")) {
                    if (ref.asText().startsWith("data.aws_iam_policy_document.")) {
                        docAddress = ref.asText().replaceAll("\\.json$", "");
                    }
                }
            }
        }
        assertThat(docAddress).as(policy.address() + ": an unknown policy must come from a policy document").isNotNull();
        String full = (policy.moduleAddress().isEmpty() ? "" : policy.moduleAddress() + ".") + docAddress;
        Change doc = changes.stream().filter(c -> c.address().equals(full)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + full + " in the plan"));
        for (JsonNode st : doc.after().path("statement")) {
            ObjectNode s = MAPPER.createObjectNode();
            s.set("actions", st.path("actions"));
            ArrayNode resources = s.putArray("resources");
            st.path("resources").forEach(r -> {
                if (!r.isNull()) {
                    resources.add(r);
                }
            });
            out.add(s);
        }
        return out;
    }

    /** The configuration of a module instance address such as {@code module.kafka_listener[0]}. */
    private JsonNode configModule(String moduleAddress) {
        JsonNode m = json.at("/configuration/root_module");
        if (moduleAddress.isEmpty()) {
            return m;
        }
        for (String part : moduleAddress.split("\\.?module\\.")) {
            if (!part.isEmpty()) {
                m = m.path("module_calls").path(part.replaceAll("\\[.*]$", "")).path("module");
            }
        }
        return m;
    }

    private static ArrayNode asArray(JsonNode n) {
        if (n.isArray()) {
            return (ArrayNode) n;
        }
        ArrayNode a = MAPPER.createArrayNode();
        if (!n.isMissingNode() && !n.isNull()) {
            a.add(n);
        }
        return a;
    }
}
