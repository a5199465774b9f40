# Floe's REST API as an AWS Lambda function (the package of ./mvnw -Plambda package), reachable
# through a function URL that requires IAM (SigV4) authentication. There is deliberately no way to
# make the URL anonymous: put API Gateway with your own authorizer in front if you need another scheme.

locals {
  storage_url = var.prefix == "" ? "s3://${var.bucket_name}" : "s3://${var.bucket_name}/${trimsuffix(var.prefix, "/")}"
  environment = merge(
    {
      FLOE_STORAGE_URL = local.storage_url
      FLOE_S3_REGION   = var.bucket_region
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
  timeout          = var.timeout_seconds

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = local.environment
  }

  # SnapStart stays off: a restored snapshot would share the instance id and the random state of
  # the snapshotted JVM with every other restore (docs/DEPLOYMENT.md, "Cold start").

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.logs]
}

resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = "AWS_IAM"
  invoke_mode        = "BUFFERED"
}

# Who may call the URL (besides principals of this account whose own IAM policies allow
# lambda:InvokeFunctionUrl on the function).
resource "aws_lambda_permission" "invokers" {
  for_each               = toset(var.invoker_principals)
  statement_id           = "FunctionUrl-${substr(sha1(each.value), 0, 12)}"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  principal              = each.value
  function_url_auth_type = "AWS_IAM"
}
