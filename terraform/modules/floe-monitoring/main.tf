# CloudWatch alarms and a dashboard for a Floe deployment: the Lambda function's errors and throttles,
# unhealthy targets behind the Kafka listener's load balancer, the bucket's 5xx answers, failed
# produce commits and consumer-group lag (the last two from Floe's own metrics, docs/OPERATIONS.md).

locals {
  lambda = var.function_name == null ? {} : { this = var.function_name }
}

# S3 request metrics for the whole bucket: 5xxErrors and latencies in CloudWatch (billed as custom
# metrics, a few dollars a month).
resource "aws_s3_bucket_metric" "requests" {
  bucket = var.bucket_name
  name   = "EntireBucket"
}

# Every alarm: > threshold over evaluation_periods of period seconds; no data is not an alarm.
locals {
  alarms = merge(
    { for k, f in local.lambda : "lambda-errors" => {
      description = "The Floe function answered with an error (a crash or a timeout, not a 4xx/5xx HTTP answer)."
      namespace   = "AWS/Lambda", metric = "Errors", dimensions = { FunctionName = f }
      statistic   = "Sum", period = 300, evaluation_periods = 1, threshold = 0
    } },
    { for k, f in local.lambda : "lambda-throttles" => {
      description = "Invocations of the Floe function were throttled (concurrency limit reached)."
      namespace   = "AWS/Lambda", metric = "Throttles", dimensions = { FunctionName = f }
      statistic   = "Sum", period = 300, evaluation_periods = 1, threshold = 0
    } },
    { for k, tg in var.target_group_arn_suffixes : "unhealthy-${k}" => {
      description = "A Floe task behind the load balancer (${k}) fails its health check."
      namespace   = "AWS/NetworkELB", metric = "UnHealthyHostCount"
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = tg }
      statistic   = "Maximum", period = 60, evaluation_periods = 3, threshold = 0
    } },
    {
      "store-5xx" = {
        description = "The bucket answered 5xx (SlowDown, InternalError) more than Floe's retries absorb."
        namespace   = "AWS/S3", metric = "5xxErrors"
        dimensions  = { BucketName = var.bucket_name, FilterId = aws_s3_bucket_metric.requests.name }
        statistic   = "Sum", period = 300, evaluation_periods = 1, threshold = var.store_5xx_threshold
      }
      "produce-errors" = {
        description = "Commits of produced records failed (floe_commit_duration_seconds_count, outcome=error): producers were told to retry."
        namespace   = var.app_metrics_namespace, metric = "floe_commit_duration_seconds_count", dimensions = { outcome = "error" }
        statistic   = "Sum", period = 300, evaluation_periods = 1, threshold = 0
      }
    },
    { for g in var.lag_groups : "lag-${g}" => {
      description = "Consumer group ${g} is more than ${var.lag_threshold} records behind (floe_group_lag_total) for 15 minutes."
      namespace   = var.app_metrics_namespace, metric = "floe_group_lag_total", dimensions = { group = g }
      statistic   = "Minimum", period = 300, evaluation_periods = 3, threshold = var.lag_threshold
    } },
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = concat(
      [for i, f in values(local.lambda) : {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "Lambda ${f}", region = var.region, stat = "Sum", period = 300
          metrics = [["AWS/Lambda", "Invocations", "FunctionName", f], [".", "Errors", ".", "."], [".", "Throttles", ".", "."]]
        }
      }],
      [for k, tg in var.target_group_arn_suffixes : {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title = "Targets ${k}", region = var.region, stat = "Maximum", period = 60
          metrics = [["AWS/NetworkELB", "HealthyHostCount", "TargetGroup", tg, "LoadBalancer", var.load_balancer_arn_suffix],
          [".", "UnHealthyHostCount", ".", ".", ".", "."]]
        }
      }],
      [{
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title = "Bucket requests and 5xx", region = var.region, stat = "Sum", period = 300
          metrics = [["AWS/S3", "AllRequests", "BucketName", var.bucket_name, "FilterId", aws_s3_bucket_metric.requests.name],
          [".", "5xxErrors", ".", ".", ".", "."], [".", "4xxErrors", ".", ".", ".", "."]]
        }
        }, {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title   = "Failed produce commits", region = var.region, stat = "Sum", period = 300
          metrics = [[var.app_metrics_namespace, "floe_commit_duration_seconds_count", "outcome", "error"]]
        }
      }],
      [for i, g in var.lag_groups : {
        type = "metric", x = (i % 2) * 12, y = 12 + floor(i / 2) * 6, width = 12, height = 6
        properties = {
          title       = "Lag of ${g}", region = var.region, stat = "Maximum", period = 60
          metrics     = [[var.app_metrics_namespace, "floe_group_lag_total", "group", g]]
          annotations = { horizontal = [{ label = "alarm", value = var.lag_threshold }] }
        }
      }],
    )
  })
}
