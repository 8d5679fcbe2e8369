# DNSCove with Terraform/OpenTofu.
#
#   pnpm --filter @dnscove/terraform-provider build
#   node packages/iac/terraform-provider/scripts/make-mirror.mjs   # prints TF_CLI_CONFIG_FILE=...
#   export TF_CLI_CONFIG_FILE=.../packages/iac/terraform-provider/mirror/terraformrc
#   export DNSCOVE_API=https://api.dnscove.com DNSCOVE_TOKEN=dnsc_...
#   terraform init && terraform apply
#
# The zone is example.org, so this runs beside the README quick start's example.com. To manage a zone
# (or rrset) that already exists instead, import it: the create fails and prints the command, e.g.
#   terraform import dnscove_zone.example <zone id>
# Terraform writes .terraform/, .terraform.lock.hcl and terraform.tfstate* here (gitignored; the state
# holds the dnscove_token secret).

terraform {
  required_providers {
    dnscove = {
      source  = "dnscove/dnscove"
      version = "0.1.0"
    }
  }
}

provider "dnscove" {
  # endpoint = "https://api.dnscove.com"   # default: $DNSCOVE_API
  # token    = var.dnscove_token           # default: $DNSCOVE_TOKEN
}

resource "dnscove_zone" "example" {
  origin = "example.org"
}

resource "dnscove_rrset" "www" {
  zone_id = dnscove_zone.example.id
  name    = "www"
  type    = "A"
  ttl     = 300
  records = ["192.0.2.10", "192.0.2.11"]
  # An existing www A rrset makes the create fail (with the import command) unless you opt in:
  # allow_overwrite = true
}

resource "dnscove_rrset" "spf" {
  zone_id = dnscove_zone.example.id
  name    = "@"
  type    = "TXT"
  # TXT: a value starting with " is zone-file quoted strings; anything else is one string taken
  # literally, so this and "\"v=spf1 -all\"" are the same record (as in the CloudFormation guide).
  records = ["v=spf1 -all"]
}

resource "dnscove_rrset" "mx" {
  zone_id = dnscove_zone.example.id
  name    = "@"
  type    = "MX"
  records = ["10 mx1.example.net.", "20 mx2.example.net."]
}

data "dnscove_zone" "example" {
  origin = dnscove_zone.example.origin
}

output "name_servers" {
  description = "Delegate example.org to these at your registrar."
  value       = data.dnscove_zone.example.ns
}

# A token for a CI pipeline that may only change example.org's rrsets. Tokens are replaced, never
# updated; the secret is stored in state (protect it) and shown only through a sensitive output.
resource "dnscove_token" "ci" {
  scope           = "zone-admin"
  zone_id         = dnscove_zone.example.id
  name            = "ci deploy"
  expires_in_days = 90
}

output "ci_token" {
  value     = dnscove_token.ci.token
  sensitive = true # terraform output -raw ci_token
}

data "dnscove_zones" "all" {
  depends_on = [dnscove_zone.example]
}

output "origins" {
  value = [for z in data.dnscove_zones.all.zones : z.origin]
}
