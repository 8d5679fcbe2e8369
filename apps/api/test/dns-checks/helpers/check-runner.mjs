// Runs one check inside the test's network namespace and prints its result as JSON:
//   node check-runner.mjs <module dir> '<request JSON>'
// The vitest worker itself lives outside the namespace, so the module runs here (the API's build,
// apps/api/dist/src/dns-checks) where the fake hierarchy's 127.0.0.x servers are.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, requestJson] = process.argv.slice(2);
const request = JSON.parse(requestJson);
const load = (file) => import(pathToFileURL(path.join(dir, file)).href);
const checks = await load("index.js");
const { canonicalRdata, typeName } = await load("canonical-answer.js");
const { rcodeName } = await load("read-message.js");

function summarise(response) {
  const m = response.message;
  const section = (records) =>
    records.map((r) => ({ name: r.name, type: typeName(r.type), ttl: r.ttl, rdata: canonicalRdata(r) }));
  return {
    rcode: rcodeName(m.rcode),
    aa: m.aa,
    tc: m.tc,
    edns: m.edns,
    transport: response.transport,
    attempts: response.attempts,
    answers: section(m.answers),
    authorities: section(m.authorities),
  };
}

const started = performance.now();
let output;
try {
  if (request.op === "delegation") {
    output = { result: await checks.probeDelegation(request.origin, request.expected, request.config) };
  } else if (request.op === "parentDs") {
    output = { result: await checks.probeParentDs(request.origin, request.config) };
  } else if (request.op === "parity") {
    output = { result: await checks.probeParity(request.input, request.config) };
  } else if (request.op === "query") {
    const budget = new checks.QueryBudget(request.maxQueries);
    try {
      const response = await checks.queryDns(request.server, request.name, request.type, {
        timeoutMs: request.timeoutMs,
        budget,
        recursionDesired: request.recursionDesired ?? false,
      });
      output = { result: summarise(response), budgetUsed: budget.used };
    } catch (error) {
      output = {
        error: { name: error.name, kind: error.kind, message: error.message },
        budgetUsed: budget.used,
      };
    }
  } else {
    throw new Error(`unknown op ${request.op}`);
  }
} catch (error) {
  output = { thrown: { name: error.name, message: error.message, stack: error.stack } };
}
output.elapsedMs = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify(output)}\n`);
