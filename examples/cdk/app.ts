import { App } from "aws-cdk-lib";
import { buildExampleStack } from "./stack.js";

const app = new App();
buildExampleStack(app);
app.synth();
