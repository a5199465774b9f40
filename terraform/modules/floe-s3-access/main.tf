# The least privilege Floe needs on its bucket, as a policy document: read, create, overwrite-if-
# unchanged and delete objects under its prefix, and list that prefix. Nothing else in the bucket,
# no bucket configuration, no other bucket. Conditional writes (If-None-Match / If-Match) need no
# extra permission.

locals {
  # "" -> the whole bucket; "floe" or "floe/" -> "floe/"
  prefix = var.prefix == "" ? "" : "${trimsuffix(var.prefix, "/")}/"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid = "FloeObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = ["${var.bucket_arn}/${local.prefix}*"]
  }

  statement {
    sid       = "FloeList"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.prefix}*"]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "FloeKms"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}
