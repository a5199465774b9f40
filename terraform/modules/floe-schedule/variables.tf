variable "function_name" {
  description = "Name of the Floe function to invoke."
  type        = string
}

variable "function_arn" {
  description = "ARN of the Floe function (its alias) to invoke."
  type        = string
}

variable "qualifier" {
  description = "The alias function_arn names (floe-lambda's alias_name); null for the unqualified function."
  type        = string
  default     = null
}

variable "schedule_expression" {
  description = "EventBridge schedule, e.g. rate(5 minutes) (about 8,900 invocations a month)."
  type        = string
  default     = "rate(5 minutes)"
}

variable "tags" {
  description = "Tags for the rule."
  type        = map(string)
  default     = {}
}
