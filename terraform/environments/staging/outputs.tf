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
