import { DnsCoveProvider, DnsCoveZone } from "@dnscove/cdk";
import { type App, CfnOutput, Fn, Stack, type StackProps } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";

/** Options of the example stack. */
export interface DnsCoveExampleStackProps extends StackProps {
  /** Handler code; defaults to the `@dnscove/cloudformation` bundle. */
  readonly code?: lambda.Code;
}

/** One provider, one zone and three rrsets: the smallest useful DNSCove stack. */
export function buildExampleStack(
  app: App,
  id = "DnsCoveExample",
  props: DnsCoveExampleStackProps = {},
): Stack {
  const stack = new Stack(app, id, props);

  // The token lives in Secrets Manager (`dnscove/cfn-token` by default), never in the template.
  const provider = new DnsCoveProvider(stack, "DnsCove", { code: props.code });
  const zone = new DnsCoveZone(stack, "Zone", { provider, origin: "example.com" });

  zone.addRRset("Www", { name: "www", type: "A", records: ["192.0.2.10", "192.0.2.11"] });
  zone.addRRset("Mail", { name: "@", type: "MX", ttl: 3600, records: ["10 mail.example.com."] });
  zone.addRRset("Spf", { name: "@", type: "TXT", records: ['"v=spf1 mx -all"'] });

  new CfnOutput(stack, "ZoneId", { value: zone.zoneId });
  new CfnOutput(stack, "NameServers", { value: Fn.join(",", zone.nameServers) });
  return stack;
}
