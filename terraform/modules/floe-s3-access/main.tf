# The least privilege Floe needs on its bucket, as a policy document: read, create, overwrite-if-
# unchanged and delete objects under its prefix, and list the bucket. Nothing else: no bucket
# configuration, no other bucket, no multipart upload (Floe writes every object with one PUT).
# Conditional writes (If-None-Match / If-Match) need no extra permission.
#
# Why s3:ListBucket has no s3:prefix condition: S3 answers a GET or HEAD of a missing key with 404
# only when the caller may list the bucket, and with 403 otherwise; Floe reads "missing" (a commit
# not written yet, a topic that does not exist) all the time and must see 404. The s3:prefix
# condition key exists only in ListObjects requests, so a ListBucket grant conditioned on it never
# applies to a GET, and every missing key would be a 403 (access denied). The unconditioned grant
# lets Floe list key names of the whole bucket, not read or change anything outside its prefix; to
# keep clusters from even seeing each other's key names, give each its own bucket.

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
    ]
    resources = ["${var.bucket_arn}/${local.prefix}*"]
  }

  statement {
    sid       = "FloeList"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
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
