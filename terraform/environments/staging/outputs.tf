output "function_url" {
  description = "REST API endpoint (SigV4, service lambda): infra/smoke-test.sh <this>."
  value       = module.lambda.function_url
}

output "function_name" {
  description = "The function's name."
  value       = module.lambda.function_name
}

output "bucket_name" {
  description = "The bucket holding the cluster's state."
  value       = module.bucket.name
}

output "storage_url" {
  description = "FLOE_STORAGE_URL of this cluster, for other Floe instances sharing it."
  value       = "s3://${module.bucket.name}/${var.prefix}"
}

output "kafka_bootstrap" {
  description = "Kafka bootstrap address of the Fargate service, if deployed."
  value       = length(module.kafka_listener) == 0 ? null : "${module.kafka_listener[0].load_balancer_dns}:9092"
}

output "image_repository" {
  description = "ECR repository of the Kafka listener's image (empty without kafka_listener)."
  value       = var.kafka_listener ? aws_ecr_repository.floe[0].repository_url : ""
}

output "admin_password_secret_arn" {
  description = "Secret holding the Fargate service's admin password (empty without kafka_listener)."
  value       = var.kafka_listener ? module.kafka_listener[0].admin_password_secret_arn : ""
}

output "function_timeout_seconds" {
  description = "The function's timeout, derived from its long-poll, janitor and quiesce limits."
  value       = module.lambda.timeout_seconds
}

output "alarm_names" {
  description = "The CloudWatch alarms of this deployment."
  value       = module.monitoring.alarm_names
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of this deployment."
  value       = module.monitoring.dashboard_name
}
