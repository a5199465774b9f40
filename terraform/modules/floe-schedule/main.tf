# Floe's background work (scheduled maintenance: missed checkpoints now, the janitor later) for
# deployments with no thread running between requests, i.e. Lambda: an EventBridge rule invokes the
# function with the standard "Scheduled Event", which FloeLambda recognises and answers by running
# LogEngine.runMaintenance(). Idempotent: overlapping or repeated runs are harmless.

resource "aws_cloudwatch_event_rule" "this" {
  name                = "${var.function_name}-maintenance"
  description         = "Floe scheduled maintenance"
  schedule_expression = var.schedule_expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  rule = aws_cloudwatch_event_rule.this.name
  arn  = var.function_arn
  retry_policy {
    maximum_retry_attempts       = 0 # the next tick is the retry
    maximum_event_age_in_seconds = 60
  }
}

# EventBridge invokes the function asynchronously, and Lambda retries a failed asynchronous
# invocation twice by default; the rule's own retry policy above does not change that. The next
# tick is the retry, so Lambda retries none, and an event older than one tick is dropped.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = var.function_name
  qualifier                    = var.qualifier
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}

resource "aws_lambda_permission" "events" {
  statement_id  = "FloeMaintenanceSchedule"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  qualifier     = var.qualifier
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this.arn
}
