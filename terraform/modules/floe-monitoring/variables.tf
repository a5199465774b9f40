variable "name" {
  description = "Prefix of the alarms' and the dashboard's names."
  type        = string
}

variable "region" {
  description = "Region of the resources watched (the dashboard's widgets)."
  type        = string
}

variable "bucket_name" {
  description = "The Floe bucket: its request metrics (5xx answers) are switched on and watched."
  type        = string
}

variable "function_name" {
  description = "The Floe Lambda function to watch (errors, throttles); null when there is none."
  type        = string
  default     = null
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the Fargate service's network load balancer; null when there is none."
  type        = string
  default     = null
}

variable "target_group_arn_suffixes" {
  description = "ARN suffixes of the load balancer's target groups, by port name: an alarm each for unhealthy targets (with load_balancer_arn_suffix)."
  type        = map(string)
  default     = {}
}

variable "app_metrics_namespace" {
  description = <<-EOT
    CloudWatch namespace holding Floe's own metrics (docs/OPERATIONS.md), as a CloudWatch agent or an
    ADOT collector scraping /q/metrics publishes them: floe_commit_duration_seconds_count with an
    outcome dimension, floe_group_lag_total with a group dimension. Without such a collector the two
    alarms on them stay without data, which does not alarm.
  EOT
  type        = string
  default     = "Floe"
}

variable "lag_groups" {
  description = "Consumer groups whose total lag is alarmed on."
  type        = list(string)
  default     = []
}

variable "lag_threshold" {
  description = "Total lag (records) of a group above which its alarm fires, held for 15 minutes."
  type        = number
  default     = 100000

  validation {
    condition     = var.lag_threshold > 0
    error_message = "lag_threshold must be positive."
  }
}

variable "store_5xx_threshold" {
  description = "5xx answers of the bucket in 5 minutes above which the alarm fires (a few are retried away)."
  type        = number
  default     = 10
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm fires or recovers (an SNS topic, for example)."
  type        = list(string)
  default     = []
}
