package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both Terraform environments, validated and planned offline with the real AWS provider, and the
 * plans checked for what an account needs: no ingress from the whole internet, every bucket
 * encrypted, versioned in staging with noncurrent versions expiring, every role limited to what
 * Floe uses, the function's timeout covering its own limits, scheduled invocations not retried,
 * the Fargate service behind a load balancer with its own security group, autoscaled, with a
 * deployment circuit breaker and a health-check grace period.
 *
 * <p>Providers cannot be downloaded here, but machine images carry the AWS provider in a plugin
 * directory ({@code FLOE_TF_PLUGIN_DIR}, else the usual places below). Where none is found the test
 * is skipped, saying so: only the steps that need the provider (the parse, fmt and rules of
 * {@link TerraformSecurityTest} still run). The plan uses dummy credentials and the provider's
 * {@code skip_*} flags (an {@code _override.tf} file in a copy of terraform/, which also swaps the
 * S3 backend for a local one), so it never calls AWS.
 */
class TerraformPlanTest {

    private static final Path PROJECT = Path.of(System.getProperty("floetest.project.dir", "."));
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> PLUGIN_DIR_CANDIDATES = List.of("/opt/tf-plugins",
            System.getProperty("user.home") + "/.terraform.d/plugins", "/usr/local/share/terraform/plugins",
            "/usr/share/terraform/plugins");
    /** Everything Floe does on S3 (store/ObjectStore: get, create/replace, list, delete). */
    private static final Set<String> S3_ACTIONS = Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket");

    private static final String OFFLINE_OVERRIDE = """
            # Written by TerraformPlanTest: plan without AWS.
            terraform {
              backend "local" {}
            }
            provider "aws" {
              access_key                  = "dummy"
              secret_key                  = "dummy"
              skip_credentials_validation = true
              skip_requesting_account_id  = true
              skip_metadata_api_check     = true
              skip_region_validation      = true
            }
            """;

    @Test
    void stagingPlansASafeOperableDeployment(@TempDir Path tmp) throws Exception {
        JsonNode plan = plan(tmp, "staging", List.of("-var", "bucket_name=floe-plan-test", "-var", "kafka_listener=true",
                "-var", "vpc_id=vpc-0123456789", "-var", "subnet_ids=[\"subnet-a\",\"subnet-b\"]",
                "-var", "allowed_cidrs=[\"10.20.0.0/16\"]", "-var", "invoker_principals=[\"111122223333\"]",
                "-var", "lag_alarm_groups=[\"orders\"]", "-var", "lag_alarm_threshold=5000"));
        Plan p = new Plan(plan);

        assertCommonRules(p);

        // The bucket: versioned, noncurrent versions expire, delete markers cleaned up.
        assertThat(p.one("aws_s3_bucket_versioning").at("/versioning_configuration/0/status").asText()).isEqualTo("Enabled");
        JsonNode rules = p.one("aws_s3_bucket_lifecycle_configuration").path("rule");
        assertThat(rules).anyMatch(r -> "Enabled".equals(r.path("status").asText())
                && r.at("/noncurrent_version_expiration/0/noncurrent_days").asInt() > 0);
        assertThat(rules).anyMatch(r -> r.at("/expiration/0/expired_object_delete_marker").asBoolean());

        // Invokers of the function URL get both permissions that function URLs check.
        assertThat(p.all("aws_lambda_permission")).filteredOn(x -> "111122223333".equals(x.path("principal").asText()))
                .extracting(x -> x.path("action").asText())
                .containsExactlyInAnyOrder("lambda:InvokeFunctionUrl", "lambda:InvokeFunction");

        // The Fargate service.
        JsonNode lb = p.one("aws_lb");
        assertThat(lb.path("internal").asBoolean()).as("internal load balancer").isTrue();
        assertThat(p.config("kafka_listener", "aws_lb.this").at("/expressions/security_groups/references").toString())
                .as("the load balancer has its own security group").contains("aws_security_group.lb");
        for (JsonNode rule : p.configAll("kafka_listener", "aws_vpc_security_group_ingress_rule")) {
            String target = rule.at("/expressions/security_group_id/references").toString();
            if (target.contains("aws_security_group.tasks")) {
                assertThat(rule.at("/expressions/referenced_security_group_id/references").toString())
                        .as("tasks admit the load balancer only").contains("aws_security_group.lb");
                assertThat(rule.path("expressions").has("cidr_ipv4")).isFalse();
            }
        }
        assertThat(p.all("aws_vpc_security_group_ingress_rule")).filteredOn(r -> !r.path("cidr_ipv4").isNull())
                .extracting(r -> r.path("cidr_ipv4").asText()).containsOnly("10.20.0.0/16");
        assertThat(p.all("aws_lb_target_group")).hasSize(2)
                .allMatch(tg -> "true".equals(tg.path("preserve_client_ip").asText()), "clients' own addresses reach Floe");
        JsonNode service = p.one("aws_ecs_service");
        assertThat(service.at("/deployment_circuit_breaker/0/enable").asBoolean()).isTrue();
        assertThat(service.at("/deployment_circuit_breaker/0/rollback").asBoolean()).isTrue();
        assertThat(service.path("health_check_grace_period_seconds").asInt()).isBetween(30, 600);
        assertThat(p.one("aws_appautoscaling_target").path("max_capacity").asInt())
                .isGreaterThan(p.one("aws_appautoscaling_target").path("min_capacity").asInt());
        assertThat(p.one("aws_appautoscaling_policy").at(
                "/target_tracking_scaling_policy_configuration/0/predefined_metric_specification/0/predefined_metric_type").asText())
                .isEqualTo("ECSServiceAverageCPUUtilization");
        assertThat(p.one("aws_ecr_repository").path("image_tag_mutability").asText()).isEqualTo("IMMUTABLE");
        assertThat(p.one("aws_ecs_task_definition").at("/runtime_platform/0/cpu_architecture").asText()).isEqualTo("ARM64");
        assertThat(p.all("aws_secretsmanager_secret")).hasSize(1);
        assertThat(p.all("aws_secretsmanager_secret_version")).as("no password in the state").isEmpty();

        assertAlarmsAndDashboard(p);
    }

    /** Alarms on Lambda errors and throttles, unhealthy targets, store 5xx, produce errors and group lag; a dashboard. */
    private static void assertAlarmsAndDashboard(Plan p) {
        List<JsonNode> alarms = p.all("aws_cloudwatch_metric_alarm");
        String function = p.one("aws_lambda_function").path("function_name").asText();
        for (String metric : List.of("Errors", "Throttles")) {
            assertThat(alarms).as("Lambda " + metric).anyMatch(a -> "AWS/Lambda".equals(a.path("namespace").asText())
                    && metric.equals(a.path("metric_name").asText()) && function.equals(a.at("/dimensions/FunctionName").asText())
                    && a.path("threshold").asDouble() == 0 && "GreaterThanThreshold".equals(a.path("comparison_operator").asText()));
        }
        assertThat(alarms).filteredOn(a -> "UnHealthyHostCount".equals(a.path("metric_name").asText()))
                .as("one per target group").hasSize(p.all("aws_lb_target_group").size())
                .allMatch(a -> "AWS/NetworkELB".equals(a.path("namespace").asText()));
        JsonNode requestMetrics = p.one("aws_s3_bucket_metric");
        assertThat(requestMetrics.path("bucket").asText()).isEqualTo("floe-plan-test");
        assertThat(alarms).as("store 5xx").anyMatch(a -> "AWS/S3".equals(a.path("namespace").asText())
                && "5xxErrors".equals(a.path("metric_name").asText()) && "floe-plan-test".equals(a.at("/dimensions/BucketName").asText())
                && requestMetrics.path("name").asText().equals(a.at("/dimensions/FilterId").asText()));
        assertThat(alarms).as("produce errors").anyMatch(a -> "floe_commit_duration_seconds_count".equals(a.path("metric_name").asText())
                && "error".equals(a.at("/dimensions/outcome").asText()));
        assertThat(alarms).as("group lag").anyMatch(a -> "floe_group_lag_total".equals(a.path("metric_name").asText())
                && "orders".equals(a.at("/dimensions/group").asText()) && a.path("threshold").asDouble() == 5000);
        assertThat(alarms).allMatch(a -> "notBreaching".equals(a.path("treat_missing_data").asText()), "no data is not an alarm");
        // The dashboard's body names the load balancer's ARN suffixes, known only after apply.
        assertThat(p.one("aws_cloudwatch_dashboard").path("dashboard_name").asText()).isEqualTo(function);
    }

    @Test
    void localstackPlansTheSameModules(@TempDir Path tmp) throws Exception {
        Plan p = new Plan(plan(tmp, "localstack", List.of()));
        assertCommonRules(p);
        assertThat(p.one("aws_s3_bucket_versioning").at("/versioning_configuration/0/status").asText())
                .as("LocalStack before 4.10 races concurrent If-Match writes on versioned buckets").isEqualTo("Suspended");
        assertThat(p.all("aws_ecs_service")).isEmpty();
    }

    /** What holds for every environment. */
    private static void assertCommonRules(Plan p) {
        // No security group admits the whole internet.
        for (JsonNode sg : p.all("aws_security_group")) {
            sg.path("ingress").forEach(in -> {
                assertThat(texts(in.path("cidr_blocks"))).doesNotContain("0.0.0.0/0");
                assertThat(texts(in.path("ipv6_cidr_blocks"))).doesNotContain("::/0");
            });
        }
        for (JsonNode rule : p.all("aws_vpc_security_group_ingress_rule")) {
            assertThat(rule.path("cidr_ipv4").asText("")).isNotEqualTo("0.0.0.0/0");
            assertThat(rule.path("cidr_ipv6").asText("")).isNotEqualTo("::/0");
        }
        assertThat(p.all("aws_security_group_rule")).noneMatch(r -> "ingress".equals(r.path("type").asText())
                && (texts(r.path("cidr_blocks")).contains("0.0.0.0/0") || texts(r.path("ipv6_cidr_blocks")).contains("::/0")));

        // Every bucket: encrypted, public access blocked, each by a resource naming that bucket.
        List<String> buckets = p.addresses("aws_s3_bucket");
        assertThat(buckets).isNotEmpty();
        for (String bucket : buckets) {
            for (String guard : List.of("aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block")) {
                assertThat(p.configResourcesReferencing(guard, bucket)).as(guard + " of " + bucket).isNotEmpty();
            }
        }
        for (JsonNode sse : p.all("aws_s3_bucket_server_side_encryption_configuration")) {
            assertThat(sse.at("/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm").asText()).isIn("AES256", "aws:kms");
        }
        for (JsonNode pab : p.all("aws_s3_bucket_public_access_block")) {
            for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
                assertThat(pab.path(flag).asBoolean()).as(flag).isTrue();
            }
        }

        // Every role: inline policies with only the actions Floe uses, on its own resources.
        assertThat(p.all("aws_iam_role_policy")).isNotEmpty();
        for (Plan.Change policy : p.changes("aws_iam_role_policy")) {
            for (JsonNode st : p.policyStatements(policy)) {
                List<String> actions = texts(st.path("actions"));
                assertThat(actions).as(policy.address() + " actions").isNotEmpty()
                        .noneMatch(a -> a.equals("*") || a.endsWith(":*"));
                assertThat(texts(st.path("resources"))).as(policy.address() + " resources").doesNotContain("*");
                if (actions.stream().anyMatch(a -> a.startsWith("s3:"))) {
                    assertThat(S3_ACTIONS).as(policy.address()).containsAll(actions);
                    assertThat(texts(st.path("resources"))).as(policy.address())
                            .allMatch(r -> r.startsWith("arn:aws:s3:::floe-"));
                }
            }
        }
        assertThat(p.all("aws_iam_role_policy_attachment")).allMatch(a -> a.path("policy_arn").asText()
                .equals("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
        assertThat(p.all("aws_iam_policy")).isEmpty();

        // The function: IAM-authenticated, buffered URL; its timeout covers its own limits.
        JsonNode url = p.one("aws_lambda_function_url");
        assertThat(url.path("authorization_type").asText()).isEqualTo("AWS_IAM");
        assertThat(url.path("invoke_mode").asText()).isEqualTo("BUFFERED");
        JsonNode fn = p.one("aws_lambda_function");
        JsonNode env = fn.at("/environment/0/variables");
        long wait = seconds(env.path("FLOE_REST_MAX_WAIT").asText());
        long quiesce = seconds(env.path("FLOE_LAMBDA_QUIESCE_LIMIT").asText());
        long lease = seconds(env.path("FLOE_JANITOR_LEASE").asText());
        int timeout = fn.path("timeout").asInt();
        assertThat(timeout).as("timeout covers the longest long poll and the quiesce after it")
                .isGreaterThan((int) (wait + quiesce));
        assertThat(timeout).as("timeout covers a maintenance run (janitor: a third of its lease) and the quiesce")
                .isGreaterThan((int) (lease / 3 + quiesce));
        assertThat(timeout).isLessThanOrEqualTo(900);

        // Scheduled invocations: the next tick is the retry.
        assertThat(p.one("aws_lambda_function_event_invoke_config").path("maximum_retry_attempts").asInt()).isZero();
        assertThat(p.one("aws_cloudwatch_event_target").at("/retry_policy/0/maximum_retry_attempts").asInt()).isZero();
    }

    // ---- running terraform ---------------------------------------------------------------------

    /** init, validate, plan and show -json of {@code environment}, in a copy of terraform/. */
    private static JsonNode plan(Path tmp, String environment, List<String> vars) throws Exception {
        Path pluginDir = pluginDir().orElse(null);
        Assumptions.assumeTrue(pluginDir != null, "No cached AWS provider (set FLOE_TF_PLUGIN_DIR, or install one under "
                + PLUGIN_DIR_CANDIDATES + "): skipping terraform init/validate/plan; TerraformSecurityTest still checks the files");
        Path copy = tmp.resolve("terraform");
        copyTree(PROJECT.resolve("terraform"), copy);
        Path dir = copy.resolve("environments").resolve(environment);
        assertThat(dir.resolve(".terraform.lock.hcl")).as("the provider lock file is committed").exists();
        Path pkg = tmp.resolve("function.zip");
        Files.write(pkg, new byte[] {'P', 'K', 5, 6});

        run(dir, "terraform", "init", "-backend=false", "-input=false", "-no-color", "-plugin-dir=" + pluginDir);
        run(dir, "terraform", "validate", "-no-color");
        Files.writeString(dir.resolve("offline_override.tf"), OFFLINE_OVERRIDE);
        run(dir, "terraform", "init", "-input=false", "-no-color", "-reconfigure", "-plugin-dir=" + pluginDir);
        List<String> cmd = new ArrayList<>(List.of("terraform", "plan", "-input=false", "-no-color", "-refresh=false",
                "-lock=false", "-out=plan.bin", "-var", "package_path=" + pkg));
        cmd.addAll(vars);
        run(dir, cmd.toArray(String[]::new));
        return MAPPER.readTree(run(dir, "terraform", "show", "-json", "plan.bin"));
    }

    static Optional<Path> pluginDir() {
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("FLOE_TF_PLUGIN_DIR")).ifPresent(candidates::add);
        candidates.addAll(PLUGIN_DIR_CANDIDATES);
        return candidates.stream().map(Path::of)
                .filter(d -> Files.isDirectory(d.resolve("registry.terraform.io/hashicorp/aws"))).findFirst();
    }

    private static String run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("TF_CLI_CONFIG_FILE", "/dev/null"); // no provider installation rules of the machine
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Path err = Files.createTempFile("terraform", ".err");
        pb.redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("terraform is not installed (needed with the cached provider)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        String stderr = Files.readString(err);
        Files.delete(err);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + " in " + dir + ":\n" + out + stderr).isZero();
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path src : (Iterable<Path>) s::iterator) {
                if (src.toString().contains("/.terraform/") || src.getFileName().toString().equals(".terraform")) {
                    continue;
                }
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst);
                }
            }
        }
    }

    private static long seconds(String duration) {
        assertThat(duration).as("a duration in seconds").matches("\\d+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
