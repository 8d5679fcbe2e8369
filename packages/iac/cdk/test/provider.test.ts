import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_BASE_URL } from "@dnscove/sdk";
import { Duration } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { describe, expect, it } from "vitest";
import { DnsCoveProvider, locateHandlerBundle } from "../src/index.js";
import { flatten, newProvider, newStack, template } from "./helpers.js";

const DYNAMIC_REFERENCE = /^\{\{resolve:secretsmanager:.+:SecretString:::\}\}$/;

function functionProps(stack: ReturnType<typeof newStack>) {
  const functions = template(stack).findResources("AWS::Lambda::Function");
  const [only, ...rest] = Object.values(functions);
  expect(rest).toHaveLength(0);
  return (only as { Properties: Record<string, unknown> }).Properties;
}

describe("DnsCoveProvider", () => {
  it("deploys a Node.js 20 function with the API base and a Secrets Manager token reference", () => {
    const stack = newStack();
    newProvider(stack);

    const props = functionProps(stack);
    expect(props).toMatchObject({ Runtime: "nodejs22.x", Handler: "index.handler", Timeout: 60 });
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(env).sort()).toEqual(["DNSCOVE_API", "DNSCOVE_TOKEN"]);
    expect(env.DNSCOVE_API).toBe(DEFAULT_BASE_URL);
    expect(env.DNSCOVE_API).toBe("http://127.0.0.1:8080");
    expect(env.DNSCOVE_TOKEN).toBe("{{resolve:secretsmanager:dnscove/cfn-token:SecretString:::}}");
  });

  it("gives the function a role with only the basic execution managed policy", () => {
    const stack = newStack();
    newProvider(stack);

    const t = template(stack);
    t.resourceCountIs("AWS::IAM::Role", 1);
    const role = Object.values(t.findResources("AWS::IAM::Role"))[0] as {
      Properties: Record<string, unknown>;
    };
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        { Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" } },
      ],
    });
    const policies = role.Properties.ManagedPolicyArns as unknown[];
    expect(policies.map(flatten)).toEqual([
      "arn:<token>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
    // CloudFormation resolves the dynamic reference; the function itself never reads the secret.
    t.resourceCountIs("AWS::IAM::Policy", 0);
  });

  it("warns at synth when apiUrl is left at the loopback default, and not when it is set", () => {
    const unset = newStack();
    newProvider(unset);
    Annotations.fromStack(unset).hasWarning("*", Match.stringLikeRegexp("apiUrl is not set"));

    const set = newStack();
    newProvider(set, { apiUrl: "https://dns.internal.example" });
    Annotations.fromStack(set).hasNoWarning("*", Match.stringLikeRegexp("apiUrl is not set"));
  });

  it("honours apiUrl, timeout, tokenSecretName", () => {
    const stack = newStack();
    newProvider(stack, {
      apiUrl: "https://dns.internal.example",
      timeout: Duration.minutes(2),
      tokenSecretName: "prod/dnscove",
    });

    const props = functionProps(stack);
    expect(props.Timeout).toBe(120);
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables).toEqual({
      DNSCOVE_API: "https://dns.internal.example",
      DNSCOVE_TOKEN: "{{resolve:secretsmanager:prod/dnscove:SecretString:::}}",
    });
  });

  it("references an ISecret by ARN, never by value", () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, "Token");
    newProvider(stack, { tokenSecret: secret });

    const env = (functionProps(stack).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(flatten(env.DNSCOVE_TOKEN)).toMatch(DYNAMIC_REFERENCE);
    expect(env.DNSCOVE_TOKEN).toEqual({
      "Fn::Join": [
        "",
        [
          "{{resolve:secretsmanager:",
          { Ref: stack.getLogicalId(secret.node.defaultChild as never) },
          ":SecretString:::}}",
        ],
      ],
    });
  });

  it("rejects tokenSecret together with tokenSecretName", () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, "Token", "dnscove/cfn-token");
    expect(() => newProvider(stack, { tokenSecret: secret, tokenSecretName: "other" })).toThrow(
      /either tokenSecret or tokenSecretName/,
    );
  });
});

describe("default code: the @dnscove/cloudformation bundle", () => {
  it("fails with the command that builds the bundle when it is missing", () => {
    const empty = mkdtempSync(join(tmpdir(), "dnscove-cdk-"));
    expect(() => locateHandlerBundle([empty])).toThrow(
      /@dnscove\/cloudformation\/dist\/lambda\.zip.*pnpm --filter @dnscove\/cloudformation bundle/,
    );
  });

  it("finds the bundle in a node_modules directory", () => {
    const nodeModules = mkdtempSync(join(tmpdir(), "dnscove-cdk-"));
    const dist = join(nodeModules, "@dnscove", "cloudformation", "dist");
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, "lambda.zip"), "");
    expect(locateHandlerBundle([join(tmpdir(), "nowhere"), nodeModules])).toBe(join(dist, "lambda.zip"));
  });

  it("uses the workspace bundle when it is built, and explains how to build it when it is not", () => {
    let bundle: string | undefined;
    try {
      bundle = locateHandlerBundle();
    } catch (error) {
      expect(String(error)).toContain("pnpm --filter @dnscove/cloudformation bundle");
      expect(() => new DnsCoveProvider(newStack(), "DnsCove")).toThrow(
        /pnpm --filter @dnscove\/cloudformation bundle/,
      );
      return;
    }
    expect(bundle).toMatch(/cloudformation[/\\]dist[/\\]lambda\.zip$/);
    const stack = newStack();
    new DnsCoveProvider(stack, "DnsCove");
    const code = functionProps(stack).Code as Record<string, unknown>;
    expect(code).toHaveProperty("S3Bucket");
    expect(code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  });
});
