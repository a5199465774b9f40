package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security properties of terraform/, checked on every .tf file as parsed by @cdktf/hcl2json
 * (infra/terraform/hcl2json.cjs; ./test installs it into .tools/): no bucket can be public, no
 * function URL is anonymous, Floe's IAM grants on S3 name its bucket (never "*"), and every file
 * parses and is {@code terraform fmt} clean. {@link #findProblems} is also run on a deliberately bad
 * configuration, so that a checker which sees nothing cannot pass.
 */
class TerraformSecurityTest {

    private static final Path PROJECT = Path.of(System.getProperty("floetest.project.dir", "."));
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** AWS managed policies a role may have; anything else (AmazonS3FullAccess...) is a finding. */
    private static final List<String> ALLOWED_MANAGED_POLICIES =
            List.of("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");

    @Test
    void everyTerraformFileParsesAndMeetsTheSecurityRules() throws Exception {
        Path root = PROJECT.resolve("terraform");
        JsonNode parsed = parse(root);
        long tfFiles;
        try (Stream<Path> s = Files.walk(root)) {
            tfFiles = s.filter(p -> p.toString().endsWith(".tf") && !p.toString().contains("/.terraform/")).count();
        }
        assertThat(parsed.size()).as("every .tf file parsed").isEqualTo((int) tfFiles).isGreaterThan(10);
        assertThat(findProblems(parsed)).isEmpty();

        // The rules look at something: the modules do declare these resources.
        assertThat(resources(parsed, "aws_s3_bucket_public_access_block")).isNotEmpty();
        assertThat(resources(parsed, "aws_lambda_function_url")).isNotEmpty();
        assertThat(resources(parsed, "aws_cloudwatch_event_rule")).isNotEmpty();
    }

    @Test
    void theRulesCatchAPublicBucketAnAnonymousUrlAndWildcardS3Grants(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.tf"), """
                resource "aws_s3_bucket" "open" {
                  bucket = "x"
                }
                resource "aws_s3_bucket_public_access_block" "weak" {
                  bucket                  = "y"
                  block_public_acls       = true
                  block_public_policy     = false
                  ignore_public_acls      = true
                  restrict_public_buckets = true
                }
                resource "aws_lambda_function_url" "anon" {
                  function_name      = "f"
                  authorization_type = "NONE"
                }
                data "aws_iam_policy_document" "greedy" {
                  statement {
                    actions   = ["s3:GetObject"]
                    resources = ["*"]
                  }
                  statement {
                    actions   = ["s3:*"]
                    resources = ["${var.bucket_arn}/*"]
                  }
                }
                resource "aws_iam_role_policy" "inline" {
                  role   = "r"
                  policy = jsonencode({ Statement = [] })
                }
                resource "aws_iam_role_policy_attachment" "full" {
                  role       = "r"
                  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
                }
                """);
        List<String> problems = findProblems(parse(dir));
        assertThat(problems).anyMatch(p -> p.contains("aws_s3_bucket.open") && p.contains("has no public access block"))
                .anyMatch(p -> p.contains("weak") && p.contains("block_public_policy"))
                .anyMatch(p -> p.contains("anon") && p.contains("AWS_IAM"))
                .anyMatch(p -> p.contains("greedy") && p.contains("\"*\""))
                .anyMatch(p -> p.contains("greedy") && p.contains("s3:*"))
                .anyMatch(p -> p.contains("inline") && p.contains("policy document"))
                .anyMatch(p -> p.contains("AmazonS3FullAccess"));
    }

    @Test
    void terraformFmtIsClean() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("terraform", "fmt", "-check", "-recursive", "-diff", PROJECT.resolve("terraform").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("terraform is not installed (needed for `terraform fmt -check`; any 1.x binary, no providers)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("terraform fmt -check -recursive terraform:\n" + out).isZero();
    }

    // ---- the rules ---------------------------------------------------------------------------

    static List<String> findProblems(JsonNode files) {
        List<String> problems = new ArrayList<>();
        files.fields().forEachRemaining(file -> checkFile(file.getKey(), file.getValue(), problems));
        return problems;
    }

    private static void checkFile(String file, JsonNode tf, List<String> problems) {
        JsonNode res = tf.path("resource");
        // Every bucket is fenced by a public access block of its own, in the same file.
        List<String> fenced = new ArrayList<>();
        each(res.path("aws_s3_bucket_public_access_block"), (name, b) -> fenced.add(b.path("bucket").asText()));
        each(res.path("aws_s3_bucket"), (name, b) -> {
            if (!fenced.contains("${aws_s3_bucket." + name + ".id}") && !fenced.contains("${aws_s3_bucket." + name + ".bucket}")) {
                problems.add(file + ": aws_s3_bucket." + name + " has no public access block");
            }
        });
        each(res.path("aws_s3_bucket_public_access_block"), (name, b) -> {
            for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
                if (!b.path(flag).isBoolean() || !b.path(flag).asBoolean()) {
                    problems.add(file + ": aws_s3_bucket_public_access_block." + name + "." + flag + " must be the literal true");
                }
            }
        });
        each(res.path("aws_lambda_function_url"), (name, u) -> {
            if (!"AWS_IAM".equals(u.path("authorization_type").asText())) {
                problems.add(file + ": aws_lambda_function_url." + name + " must have authorization_type = \"AWS_IAM\", has "
                        + u.path("authorization_type"));
            }
        });
        each(res.path("aws_lambda_permission"), (name, p) -> {
            if (p.has("function_url_auth_type") && !"AWS_IAM".equals(p.path("function_url_auth_type").asText())) {
                problems.add(file + ": aws_lambda_permission." + name + " grants a non-IAM function URL");
            }
        });
        for (String type : List.of("aws_iam_role_policy", "aws_iam_policy")) {
            each(res.path(type), (name, p) -> {
                String policy = p.path("policy").asText();
                if (!policy.startsWith("${data.aws_iam_policy_document.") && !policy.startsWith("${module.")) {
                    problems.add(file + ": " + type + "." + name + " must take its policy from an aws_iam_policy_document"
                            + " (a policy document this test can check), not " + policy);
                }
            });
        }
        each(res.path("aws_iam_role_policy_attachment"), (name, a) -> {
            if (!ALLOWED_MANAGED_POLICIES.contains(a.path("policy_arn").asText())) {
                problems.add(file + ": aws_iam_role_policy_attachment." + name + " attaches " + a.path("policy_arn"));
            }
        });
        each(tf.path("data").path("aws_iam_policy_document"), (name, doc) -> {
            List<JsonNode> statements = new ArrayList<>();
            doc.path("statement").forEach(statements::add);
            doc.path("dynamic").path("statement").forEach(d -> d.path("content").forEach(statements::add));
            for (JsonNode st : statements) {
                checkStatement(file + ": aws_iam_policy_document." + name, st, problems);
            }
        });
    }

    /** An Allow on S3 names Floe's bucket: no "*" action or resource, every resource under var.bucket_arn. */
    private static void checkStatement(String where, JsonNode st, List<String> problems) {
        if ("Deny".equals(st.path("effect").asText("Allow"))) {
            return; // denies only take away
        }
        List<String> actions = texts(st.path("actions"));
        boolean s3 = actions.stream().anyMatch(a -> a.startsWith("s3:") || a.equals("*"));
        if (!s3) {
            return;
        }
        actions.stream().filter(a -> a.equals("*") || a.equals("s3:*"))
                .forEach(a -> problems.add(where + ": action " + a + " is not least privilege"));
        List<String> resources = texts(st.path("resources"));
        if (resources.isEmpty()) {
            problems.add(where + ": an S3 statement without resources");
        }
        for (String r : resources) {
            if (r.equals("*") || r.equals("arn:aws:s3:::*")) {
                problems.add(where + ": S3 actions on \"*\"");
            } else if (!r.startsWith("${var.bucket_arn}")) {
                problems.add(where + ": S3 resource " + r + " is not Floe's bucket (var.bucket_arn)");
            }
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------

    /** hcl2json yields {type: {name: [block]}}. */
    private static void each(JsonNode byName, BiConsumer<String, JsonNode> f) {
        for (Iterator<Map.Entry<String, JsonNode>> it = byName.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            e.getValue().forEach(block -> f.accept(e.getKey(), block));
        }
    }

    private static List<JsonNode> resources(JsonNode files, String type) {
        List<JsonNode> out = new ArrayList<>();
        files.forEach(f -> each(f.path("resource").path(type), (n, b) -> out.add(b)));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Runs infra/terraform/hcl2json.cjs on {@code dir}; fails saying how to install what is missing. */
    static JsonNode parse(Path dir) throws Exception {
        Path modules = Path.of(System.getenv().getOrDefault("FLOE_NODE_MODULES",
                PROJECT.resolve(".tools/node_modules").toString()));
        if (!Files.isDirectory(modules.resolve("@cdktf/hcl2json"))) {
            throw new AssertionError("@cdktf/hcl2json is not installed in " + modules + ". Install it (needs node and npm):\n"
                    + "  npm install --prefix .tools @cdktf/hcl2json\n(./test does this; FLOE_NODE_MODULES points elsewhere)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", PROJECT.resolve("infra/terraform/hcl2json.cjs").toString(), dir.toString());
        pb.environment().put("NODE_PATH", modules.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("node is not installed (apt-get install nodejs npm); it runs @cdktf/hcl2json", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("hcl2json: " + err).isZero();
        return MAPPER.readTree(out);
    }
}
