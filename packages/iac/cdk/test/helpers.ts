import type { CfnElement } from "aws-cdk-lib";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { DnsCoveProvider, type DnsCoveProviderProps } from "../src/index.js";

/** Stand-in handler code, so tests don't depend on the @dnscove/cloudformation bundle. */
export const inlineCode = (): lambda.Code =>
  lambda.Code.fromInline("exports.handler = async () => { throw new Error('test stub'); };");

export function newStack(): Stack {
  return new Stack(new App(), "Test", { env: { account: "123456789012", region: "eu-west-1" } });
}

export function newProvider(stack: Stack, props: DnsCoveProviderProps = {}): DnsCoveProvider {
  return new DnsCoveProvider(stack, "DnsCove", { code: inlineCode(), ...props });
}

export const logicalId = (stack: Stack, element: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(element.node.defaultChild as CfnElement);

export const template = (stack: Stack): Template => Template.fromStack(stack);

/** The `ServiceToken` every DNSCove custom resource must carry: the provider function's ARN. */
export const functionArn = (stack: Stack, provider: DnsCoveProvider) => ({
  "Fn::GetAtt": [logicalId(stack, provider.lambdaFunction), "Arn"],
});

/** Flattens an `Fn::Join` (or a plain string) so a dynamic reference can be matched as text. */
export function flatten(value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  const join = (value as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"];
  if (join) {
    return join[1].map((part) => (typeof part === "string" ? part : "<token>")).join(join[0]);
  }
  return JSON.stringify(value);
}
