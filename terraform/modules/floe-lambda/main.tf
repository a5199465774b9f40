# Floe's REST API as an AWS Lambda function (the package of ./mvnw -Dlambda package), reachable
# through a function URL that requires IAM (SigV4) authentication. There is deliberately no way to
# make the URL anonymous: put API Gateway with your own authorizer in front if you need another scheme.

locals {
  storage_url = var.prefix == "" ? "s3://${var.bucket_name}" : "s3://${var.bucket_name}/${trimsuffix(var.prefix, "/")}"

  # One set of numbers for what an invocation may take and for the function's timeout, so the two
  # cannot drift apart (docs/DEPLOYMENT.md, "Time and size limits"):
  # - an HTTP invocation: the longest REST long poll, 5 s for the request around it, then the quiesce;
  # - a maintenance invocation: the janitor stops starting work after a third of its lease, plus
  #   10 s for its last step, the missed checkpoints and the group tick, then the quiesce.
  # The function gets the same numbers as settings (FLOE_REST_MAX_WAIT, FLOE_LAMBDA_QUIESCE_LIMIT,
  # FLOE_JANITOR_LEASE), and the timeout leaves a 5 s margin above the longer of the two.
  http_invocation_seconds        = var.rest_max_wait_seconds + 5
  maintenance_invocation_seconds = ceil(var.janitor_lease_seconds / 3) + 10
  timeout_seconds                = max(local.http_invocation_seconds, local.maintenance_invocation_seconds) + var.quiesce_limit_seconds + 5

  environment = merge(
    {
      FLOE_STORAGE_URL          = local.storage_url
      FLOE_S3_REGION            = var.bucket_region
      FLOE_REST_MAX_WAIT        = "${var.rest_max_wait_seconds}s"
      FLOE_LAMBDA_QUIESCE_LIMIT = "${var.quiesce_limit_seconds}s"
      FLOE_JANITOR_LEASE        = "${var.janitor_lease_seconds}s"
      # Start-up time over peak throughput: C1 only, as AWS recommends for short-lived functions.
      JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    },
    var.s3_endpoint == null ? {} : {
      FLOE_S3_ENDPOINT   = var.s3_endpoint
      FLOE_S3_PATH_STYLE = "true"
    },
    var.environment,
  )
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

module "s3_access" {
  source      = "../floe-s3-access"
  bucket_arn  = var.bucket_arn
  prefix      = var.prefix
  kms_key_arn = var.kms_key_arn
}

resource "aws_iam_role_policy" "bucket" {
  name   = "floe-bucket"
  role   = aws_iam_role.this.id
  policy = module.s3_access.policy_json
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "logs" {
  name   = "floe-logs"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  role             = aws_iam_role.this.arn
  runtime          = "java21"
  handler          = "io.floe.runtime.lambda.FloeLambda::handleRequest"
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  architectures    = [var.architecture]
  memory_size      = var.memory_mb
  timeout          = local.timeout_seconds

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = local.environment
  }

  # Every change publishes a version; the URL, the invoke permissions and the schedule address the
  # alias "live" (below), never $LATEST: SnapStart snapshots and restores published versions only.
  publish = true

  # SnapStart (docs/DEPLOYMENT.md, "SnapStart"): Lambda initialises a published version once, snapshots
  # it and restores clones of the snapshot instead of starting cold. Each restored clone renews its
  # instance id, writer nonce and random seeds (Floe's CRaC hook, runtime.SnapshotRestore).
  snap_start {
    apply_on = var.snap_start ? "PublishedVersions" : "None"
  }

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.logs]
}

# What the URL, the invokers and the schedule call: the version this apply published.
resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The published version that serves (SnapStart restores published versions only)."
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

# BUFFERED: a response is at most 6 MB (Lambda's limit for a synchronous answer). The Lambda
# package caps what a fetch returns to fit (floe.rest.max-response-bytes, docs/DEPLOYMENT.md).
resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = "AWS_IAM"
  invoke_mode        = "BUFFERED"
}

# Who may call the URL (besides principals of this account whose own IAM policies allow it).
# Function URLs created since October 2025 check lambda:InvokeFunction as well as
# lambda:InvokeFunctionUrl, so each invoker gets both.
resource "aws_lambda_permission" "invokers" {
  for_each               = toset(var.invoker_principals)
  statement_id           = "FunctionUrl-${substr(sha1(each.value), 0, 12)}"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  qualifier              = aws_lambda_alias.live.name
  principal              = each.value
  function_url_auth_type = "AWS_IAM"
}

resource "aws_lambda_permission" "invokers_invoke" {
  for_each      = toset(var.invoker_principals)
  statement_id  = "Invoke-${substr(sha1(each.value), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = each.value
}
