/**
 * Route53 alias records (dns-harness.md §5, trap 6): `AliasTarget {HostedZoneId, DNSName,
 * EvaluateTargetHealth}` and no TTL or values.
 *
 * Decisions:
 * - An alias whose DNSName is inside the zone's origin is flattened: the alias name gets a copy of
 *   the target rrset of the same type (its records and its TTL, which is the TTL Route53 answers
 *   with for an in-zone alias). The copy does not follow later edits of the target.
 *   If the target is not in the export, is itself an alias, or is not imported (routing-policy
 *   group, traffic policy, ...), the alias is skipped with that reason.
 * - An alias to anything else (CloudFront, ELB, S3 website, API Gateway, Global Accelerator, VPC
 *   endpoints, Elastic Beanstalk, another hosted zone) is skipped with a reason naming the target:
 *   Route53 answers with the resource's current addresses, which DNSCove cannot follow, and looking
 *   them up at import time would freeze addresses that AWS changes.
 * - EvaluateTargetHealth has no equivalent; for an in-zone target without health checks it is moot.
 */

/** Well-known alias target services, matched on the (lowercase, absolute) DNSName. */
const AWS_TARGETS: { test: (name: string, zoneId: string) => boolean; what: string }[] = [
  {
    test: (n, z) => n.endsWith(".cloudfront.net.") || z === "Z2FDTNDATAQYW2",
    what: "CloudFront distribution",
  },
  {
    test: (n, z) => n.endsWith(".awsglobalaccelerator.com.") || z === "Z2BJ6XQ5FK7U4H",
    what: "Global Accelerator",
  },
  { test: (n) => n.endsWith(".elb.amazonaws.com."), what: "Elastic Load Balancing load balancer" },
  { test: (n) => n.endsWith(".vpce.amazonaws.com."), what: "VPC endpoint" },
  { test: (n) => /(^|\.)s3-website[.-]/.test(n), what: "S3 website endpoint" },
  { test: (n) => n.includes(".execute-api.") || n.includes(".appsync-api."), what: "API Gateway endpoint" },
  { test: (n) => n.endsWith(".elasticbeanstalk.com."), what: "Elastic Beanstalk environment" },
  { test: (n) => n.endsWith(".awsapprunner.com."), what: "App Runner service" },
  { test: (n) => n.endsWith(".amazonaws.com."), what: "AWS resource" },
];

/** Skip reason for an alias to a name outside the zone. `name` is lowercase, absolute. */
export function outOfZoneAliasReason(name: string, hostedZoneId: string): string {
  const service = AWS_TARGETS.find((t) => t.test(name, hostedZoneId));
  if (service) {
    return (
      `alias to ${service.what} ${name} (hosted zone ${hostedZoneId}) has no equivalent outside AWS: ` +
      "Route53 answers with the resource's current addresses; skipped"
    );
  }
  return (
    `alias to ${name} (hosted zone ${hostedZoneId}) points outside this zone, and Route53 aliases have no ` +
    "DNS equivalent; skipped"
  );
}

export function inZoneAliasReason(target: string, type: string, why: string): string {
  return `alias to ${target} ${type} in this zone cannot be flattened: ${why}; skipped`;
}
