import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DEFAULT_BASE_URL } from "@dnscove/sdk";
import { Annotations, Duration, SecretValue } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

/**
 * API base used when {@link DnsCoveProviderProps.apiUrl} is not set: the SDK's one default (an API
 * on the same host), so a real deployment always sets `apiUrl`.
 */
export const DEFAULT_API_URL: string = DEFAULT_BASE_URL;

/** Secrets Manager secret name used when neither `tokenSecret` nor `tokenSecretName` is set. */
export const DEFAULT_TOKEN_SECRET_NAME = "dnscove/cfn-token";

const HANDLER_PACKAGE = "@dnscove/cloudformation";
const HANDLER_BUNDLE = "dist/lambda.zip";

/**
 * Finds the `@dnscove/cloudformation` Lambda bundle (`dist/lambda.zip`).
 *
 * The package's `exports` map does not expose the zip, so this walks the same `node_modules`
 * directories that `require.resolve` would search, starting from this module.
 *
 * @param searchPaths `node_modules` directories to look in; defaults to Node's lookup paths.
 * @returns the absolute path of the zip.
 * @throws Error naming the directories searched and the command that builds the bundle.
 */
export function locateHandlerBundle(searchPaths?: readonly string[]): string {
  const dirs = searchPaths ?? createRequire(import.meta.url).resolve.paths(HANDLER_PACKAGE) ?? [];
  for (const dir of dirs) {
    const candidate = join(dir, HANDLER_PACKAGE, HANDLER_BUNDLE);
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(
    `DNSCove custom-resource bundle not found: no ${HANDLER_PACKAGE}/${HANDLER_BUNDLE} under ` +
      `${dirs.length > 0 ? dirs.join(", ") : "(no node_modules directories)"}. ` +
      `Build it with \`pnpm --filter ${HANDLER_PACKAGE} bundle\`, or pass \`code\` to DnsCoveProvider.`,
  );
}

/** Properties of a {@link DnsCoveProvider}. */
export interface DnsCoveProviderProps {
  /**
   * Base URL of the DNSCove API, passed to the function as `DNSCOVE_API`.
   * @default DEFAULT_BASE_URL of @dnscove/sdk ("http://127.0.0.1:8080")
   */
  readonly apiUrl?: string;

  /**
   * Secret whose `SecretString` is the DNSCove machine token (`dnsc_…`).
   * Mutually exclusive with `tokenSecretName`.
   * @default - the secret named by `tokenSecretName`
   */
  readonly tokenSecret?: secretsmanager.ISecret;

  /**
   * Name (or ARN) of the Secrets Manager secret holding the DNSCove machine token.
   * Mutually exclusive with `tokenSecret`.
   * @default "dnscove/cfn-token"
   */
  readonly tokenSecretName?: string;

  /**
   * Code of the custom-resource function. It must export `handler` from `index`.
   * @default - the `dist/lambda.zip` bundle of `@dnscove/cloudformation`
   */
  readonly code?: lambda.Code;

  /**
   * Runtime of the custom-resource function. The `@dnscove/cloudformation` bundle targets Node.js 20
   * and runs unchanged on 22; AWS deprecated `nodejs20.x` on 2026-04-30, so the default is 22.
   * @default lambda.Runtime.NODEJS_22_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Timeout of the custom-resource function.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
}

/**
 * Deploys the DNSCove custom-resource Lambda once per stack (or app) and serves as the
 * `ServiceToken` of every {@link DnsCoveZone} and {@link DnsCoveRRset} that uses it.
 *
 * The function is a direct Lambda-backed custom resource: CloudFormation invokes it and the
 * handler answers the pre-signed response URL itself (no `custom-resources.Provider` framework).
 *
 * The API token reaches the function as `DNSCOVE_TOKEN` through a Secrets Manager dynamic
 * reference (`{{resolve:secretsmanager:…}}`) on the function's environment, so it never appears
 * in the template. CloudFormation resolves the reference when it creates or updates the function;
 * after rotating the secret, redeploy with a changed function to pick up the new value.
 */
export class DnsCoveProvider extends Construct {
  /** The custom-resource function. */
  public readonly lambdaFunction: lambda.Function;

  /** ARN of the custom-resource function: the `ServiceToken` of DNSCove custom resources. */
  public readonly serviceToken: string;

  public constructor(scope: Construct, id: string, props: DnsCoveProviderProps = {}) {
    super(scope, id);

    if (props.tokenSecret && props.tokenSecretName !== undefined) {
      throw new Error(`${this.node.path}: set either tokenSecret or tokenSecretName, not both`);
    }
    const token = props.tokenSecret
      ? props.tokenSecret.secretValue
      : SecretValue.secretsManager(props.tokenSecretName ?? DEFAULT_TOKEN_SECRET_NAME);

    this.lambdaFunction = new lambda.Function(this, "Function", {
      description: "DNSCove CloudFormation custom resources (Custom::DNSCoveZone, Custom::DNSCoveRRset)",
      runtime: props.runtime ?? lambda.Runtime.NODEJS_22_X,
      handler: "index.handler",
      code: props.code ?? lambda.Code.fromAsset(locateHandlerBundle()),
      timeout: props.timeout ?? Duration.seconds(60),
      environment: {
        DNSCOVE_API: props.apiUrl ?? DEFAULT_API_URL,
        // A dynamic reference, resolved by CloudFormation at deploy time; never the plaintext token.
        DNSCOVE_TOKEN: token.unsafeUnwrap(),
      },
    });
    this.serviceToken = this.lambdaFunction.functionArn;
    if (props.apiUrl === undefined) {
      // The default is an API on the same host, which a Lambda never is: say so at synth time.
      Annotations.of(this).addWarningV2(
        "@dnscove/cdk:apiUrlDefault",
        `apiUrl is not set, so the function calls ${DEFAULT_API_URL}, which it cannot reach in AWS; set apiUrl to your DNSCove API`,
      );
    }
  }
}
