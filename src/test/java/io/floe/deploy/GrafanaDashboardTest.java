package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in infra/grafana queries only metrics that docs/OPERATIONS.md documents (a
 * histogram's {@code _bucket}, {@code _sum} and {@code _count} series count as its name), every panel
 * reads the dashboard's data-source variable, and the panels do not overlap.
 */
class GrafanaDashboardTest {

    private static final Path PROJECT = Path.of(System.getProperty("floetest.project.dir", "."));
    private static final Pattern METRIC = Pattern.compile("\\b(floe_[a-z0-9_]+)");
    /** A metric name in the first column of the metrics table: | `floe_x`, `floe_y` | type | … */
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| (`floe_[a-z0-9_]+`(?:, `floe_[a-z0-9_]+`)*) \\|", Pattern.MULTILINE);

    @Test
    void everyMetricTheDashboardQueriesIsDocumented() throws Exception {
        Set<String> documented = documented();
        assertThat(documented).contains("floe_produce_records_total", "floe_commit_duration_seconds", "floe_cache_gets_total");
        Set<String> queried = new TreeSet<>();
        for (String expr : expressions(dashboard())) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(12);
        for (String metric : queried) {
            String histogram = metric.replaceAll("_(bucket|sum|count)$", "");
            assertThat(documented.contains(metric) || documented.contains(histogram))
                    .as("%s is documented in docs/OPERATIONS.md", metric).isTrue();
        }
    }

    @Test
    void everyPanelReadsTheDataSourceVariableAndNoneOverlap() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.at("/templating/list").findValuesAsText("name")).contains("datasource");
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : d.path("panels")) {
            JsonNode g = panel.path("gridPos");
            int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertThat(box[0] + box[2]).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean apart = box[0] >= other[0] + other[2] || other[0] >= box[0] + box[2]
                        || box[1] >= other[1] + other[3] || other[1] >= box[1] + box[3];
                assertThat(apart).as("%s overlaps another panel", panel.path("title").asText()).isTrue();
            }
            boxes.add(box);
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
                assertThat(panel.path("targets")).isNotEmpty();
            }
        }
    }

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(PROJECT.resolve("infra/grafana/floe-dashboard.json").toFile());
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>(dashboard.findValuesAsText("expr"));
        dashboard.at("/templating/list").forEach(v -> out.add(v.path("query").asText()));
        return out;
    }

    private static Set<String> documented() throws Exception {
        String ops = Files.readString(PROJECT.resolve("docs/OPERATIONS.md"));
        Set<String> names = new TreeSet<>();
        Matcher cell = DOCUMENTED.matcher(ops);
        while (cell.find()) {
            Matcher m = METRIC.matcher(cell.group(1));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
