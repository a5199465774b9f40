package io.floe.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How fast the web console answers with many topics and groups, and what a view costs in store
 * requests next to the REST calls that show the same thing. Runs against a Floe that is already
 * running (docs/BENCHMARKS.md, "Console"): fills it through the Kafka listener (topics, one record
 * each, groups with committed offsets) unless {@code --no-fill}, then times each page one request
 * at a time and reads {@code floe_store_requests_total} at /q/metrics before and after.
 *
 * <pre>--url http://127.0.0.1:8080 --kafka 127.0.0.1:9092 --topics 1000 --groups 100 --views 50</pre>
 *
 * <p>{@code --pause-ms N} waits N ms between timed views (so that views meet expired lists, as an
 * operator's do); {@code --pages topics,groups} times only those pages.
 */
public final class ConsoleBenchmark {

    private static final Pattern REQUESTS = Pattern.compile("^floe_store_requests_total\\{operation=\"(\\w+)\"} (\\S+)$",
            Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;

    private ConsoleBenchmark(String url) {
        this.url = url;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--url", "http://127.0.0.1:8080", "--kafka", "127.0.0.1:9092",
                "--topics", "1000", "--groups", "100", "--views", "50", "--fill", "true"));
        o.putIfAbsent("--pause-ms", "0");
        o.putIfAbsent("--pages", "");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-fill")) {
                o.put("--fill", "false");
            } else {
                o.put(args[i], args[++i]);
            }
        }
        int topics = Integer.parseInt(o.get("--topics"));
        int groups = Integer.parseInt(o.get("--groups"));
        int views = Integer.parseInt(o.get("--views"));
        long pause = Long.parseLong(o.get("--pause-ms"));
        List<String> only = o.get("--pages").isBlank() ? List.of() : List.of(o.get("--pages").split(","));
        ConsoleBenchmark b = new ConsoleBenchmark(o.get("--url"));
        if (Boolean.parseBoolean(o.get("--fill"))) {
            fill(o.get("--kafka"), topics, groups);
        }
        String cluster = b.get("/v3/clusters").replaceAll("(?s).*\"cluster_id\":\"([^\"]+)\".*", "$1");
        String t = "bench-topic-0000";
        String g = "bench-group-000";
        Map<String, List<String>> pages = new LinkedHashMap<>();
        pages.put("topics", List.of("/ui/topics"));
        pages.put("topic", List.of("/ui/topics/" + t));
        pages.put("records", List.of("/ui/topics/" + t + "/records"));
        pages.put("groups", List.of("/ui/groups"));
        pages.put("group", List.of("/ui/groups/" + g));
        pages.put("janitor", List.of("/ui/janitor"));
        pages.put("cost", List.of("/ui/cost"));
        // The REST calls that show what each page shows.
        Map<String, List<String>> rest = new LinkedHashMap<>();
        String v3 = "/v3/clusters/" + cluster;
        rest.put("topics", List.of(v3 + "/topics"));
        rest.put("topic", List.of(v3 + "/topics/" + t, v3 + "/topics/" + t + "/configs", "/topics/" + t + "/partitions/0/offsets"));
        rest.put("records", List.of("/topics/" + t + "/partitions/0/offsets", "/topics/" + t + "/partitions/0/records?offset=0"));
        rest.put("groups", List.of(v3 + "/consumer-groups"));
        rest.put("group", List.of(v3 + "/consumer-groups/" + g, v3 + "/consumer-groups/" + g + "/consumers",
                v3 + "/consumer-groups/" + g + "/lags"));
        rest.put("janitor", List.of());
        rest.put("cost", List.of());
        System.out.printf("Floe at %s, %d topics, %d groups, %d views per page after 10 of warm-up, %d ms apart%n", b.url, topics,
                groups, views, pause);
        for (String page : pages.keySet()) {
            if (!only.isEmpty() && !only.contains(page)) {
                continue;
            }
            Samples s = new Samples();
            for (int i = 0; i < 10; i++) {
                b.view(pages.get(page), null);
            }
            Map<String, Double> before = b.requests();
            for (int i = 0; i < views; i++) {
                b.view(pages.get(page), s);
                Thread.sleep(pause);
            }
            double consoleRequests = b.total(before) / views;
            before = b.requests();
            for (int i = 0; i < views; i++) {
                b.view(rest.get(page), null);
            }
            double restRequests = b.total(before) / views;
            System.out.printf("RESULT %-8s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms   store requests per view: console %.2f, REST %.2f%n",
                    page, s.millis(0.5), s.millis(0.95), s.millis(1.0), consoleRequests, restRequests);
        }
    }

    private static void fill(String bootstrap, int topics, int groups) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> create = new ArrayList<>();
            for (int i = 0; i < topics; i++) {
                create.add(new NewTopic(String.format("bench-topic-%04d", i), 3, (short) 1));
            }
            for (int from = 0; from < create.size(); from += 100) {
                admin.createTopics(create.subList(from, Math.min(create.size(), from + 100))).all().get(120, TimeUnit.SECONDS);
            }
            for (int i = 0; i < groups; i++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int k = 0; k < 3; k++) {
                    offsets.put(new TopicPartition(String.format("bench-topic-%04d", (i * 7 + k) % topics), 0),
                            new OffsetAndMetadata(0));
                }
                admin.alterConsumerGroupOffsets(String.format("bench-group-%03d", i), offsets).all().get(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("filled: %d topics of 3 partitions, %d groups with 3 committed offsets each%n", topics, groups);
    }

    private void view(List<String> paths, Samples s) throws Exception {
        long t0 = System.nanoTime();
        for (String path : paths) {
            get(path);
        }
        if (s != null) {
            s.add(System.nanoTime() - t0);
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private Map<String, Double> requests() throws Exception {
        Map<String, Double> out = new HashMap<>();
        Matcher m = REQUESTS.matcher(get("/q/metrics"));
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private double total(Map<String, Double> before) throws Exception {
        Map<String, Double> after = requests();
        double n = 0;
        for (var e : after.entrySet()) {
            n += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        }
        return n;
    }
}
