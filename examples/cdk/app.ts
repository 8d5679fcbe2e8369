import { App } from "aws-cdk-lib";
import { buildExampleStack } from "./stack.js";

// `cdk synth`/`cdk deploy` pass CDK_OUTDIR; run directly (`pnpm exec tsx app.ts`), the App would
// otherwise synthesize into a temporary directory that aws-cdk-lib deletes at exit.
const app = new App({ outdir: process.env.CDK_OUTDIR ?? "cdk.out" });
buildExampleStack(app);
app.synth();
