#!/usr/bin/env bash
# Installs the real peers DNSCove's tests start on loopback: a PostgreSQL server, DNS clients
# (dig, kdig), DNS servers that act as secondaries and as a private hierarchy (Knot, NSD, BIND,
# unbound as the resolver), an ACME CA (pebble) and
# ACME clients (lego, certbot), Chromium for the console's browser tests, dnsperf for benchmarks, and
# the DNSSEC zone validators (dnssec-verify from bind9-utils, kzonecheck, ldns-verify-zone), DNSSEC
# analysis of a live hierarchy (dnsviz; delv is in bind9-dnsutils) and
# Prometheus (prometheus, promtool) for the metrics tests.
# Idempotent; needs root (apt-get). Daemons are kept from starting as system services: the tests
# run their own instances on loopback ports.
set -euo pipefail
PACKAGES=(bsdutils postgresql curl jq openssl bind9-dnsutils bind9-utils knot-dnsutils knot-dnssecutils ldnsutils knot nsd bind9 unbound dnsperf iproute2 pebble lego certbot python3-certbot-dns-rfc2136 chromium prometheus dnsviz)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
