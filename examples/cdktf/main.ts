// DNSCove with CDK for Terraform: synthesizes cdktf.out/stacks/dnscove-example/cdk.tf.json.
//
//   pnpm --filter @dnscove/cdktf build
//   cd examples/cdktf && npx tsx main.ts        # or `cdktf synth` (cdktf.json)
//   node ../../packages/iac/terraform-provider/scripts/make-mirror.mjs   # prints TF_CLI_CONFIG_FILE=...
//   cd cdktf.out/stacks/dnscove-example
//   export DNSCOVE_API=https://api.dnscove.com DNSCOVE_TOKEN=dnsc_...   # or TF_VAR_dnscove_endpoint / TF_VAR_dnscove_token
//   terraform init && terraform apply
import { App } from "cdktf";
import { buildExampleStack } from "./stack.js";

const app = new App();
buildExampleStack(app, "dnscove-example", { origin: process.env.DNSCOVE_ORIGIN ?? "example.com" });
app.synth();
