output "function_name" {
  description = "The function's name."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "The ARN of the alias that serves, live (the schedule's target)."
  value       = aws_lambda_alias.live.arn
}

output "alias_name" {
  description = "The alias that serves (the published version SnapStart restores)."
  value       = aws_lambda_alias.live.name
}

output "function_url" {
  description = "HTTPS endpoint of the REST API; requests must be SigV4-signed (service lambda)."
  value       = aws_lambda_function_url.this.function_url
}

output "role_arn" {
  description = "The function's execution role."
  value       = aws_iam_role.this.arn
}

output "timeout_seconds" {
  description = "The function's timeout, derived from rest_max_wait_seconds, janitor_lease_seconds and quiesce_limit_seconds."
  value       = aws_lambda_function.this.timeout
}
