output "load_balancer_dns" {
  description = "DNS name of the load balancer: REST on :8080, Kafka bootstrap on :9092."
  value       = aws_lb.this.dns_name
}

output "task_role_arn" {
  description = "The tasks' role (bucket access)."
  value       = aws_iam_role.task.arn
}
