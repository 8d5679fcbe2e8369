/**
 * Parity check time over a 1,000-rrset zone (target: under 5 s on this machine).
 * Usage (as ROOT: it creates a network namespace; needs knotd, knotc, nsd, unbound, dig, ip — see
 * scripts/install-test-peers.sh — and the API built: pnpm --filter @dnscove/api build):
 *   pnpm --filter @dnscove/bench bench:parity          (BENCH_RRSETS=1000, BENCH_ROUNDS=5)
 *
 * The world is the migration e2e test's (apps/api/test/migration-e2e/helpers): a private network
 * namespace with NSD root 127.0.0.10, Knot parent "test." 127.0.0.11 delegating the zone to our
 * nameservers, unbound 127.0.0.1:53 as the API's resolver, the old provider's NSD on
 * 127.0.0.30/.31 serving the same zone, and the real embedded default (node apps/api/dist/src/main.js)
 * with its edge on 127.0.0.20:53. A synthetic Route53 export of BENCH_RRSETS rrsets (plus apex SOA
 * and NS) is imported through the API; then POST /api/zones/{id}/parity is timed end to end (HTTP
 * request to response, over the Unix-socket bridge) BENCH_ROUNDS times after one warm-up run that
 * is not counted. Each parity run also does a delegation check (the API runs both for
 * safe_to_delete). A run counts only if it matches, is complete (not truncated) and is safe to delete;
 * afterwards one value is changed at the old provider and parity must report exactly that rrset.
 */
import { performance } from "node:perf_hooks";
import { startApiInNetns } from "@dnscove/testkit";
import { RESOLVER } from "../apps/api/test/dns-checks/helpers/hierarchy.js";
import { hierarchyApiEnv } from "../apps/api/test/migration-e2e/helpers/hierarchy-api-env.js";
import {
  OLD,
  OUR_EDGE,
  OURS,
  type Rrset,
  startMigrationWorld,
} from "../apps/api/test/migration-e2e/helpers/migration-world.js";
import { median } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ORIGIN = "parity-bench.test";

if (process.getuid?.() !== 0) {
  console.error("bench:parity creates a network namespace (ip netns add): run it as root.");
  process.exit(1);
}

/** `count` rrsets in canonical presentation form, a mix of common types (no apex SOA/NS). */
function syntheticRrsets(origin: string, count: number): Rrset[] {
  const rrsets: Rrset[] = [];
  for (let i = 0; rrsets.length < count; i++) {
    const name = `host${i}.${origin}.`;
    const octets = `${(i >> 8) & 255}.${i & 255}`;
    switch (i % 6) {
      case 0:
        rrsets.push({ name, type: "A", ttl: 300, records: [`10.1.${octets}`, `10.2.${octets}`] });
        break;
      case 1:
        rrsets.push({ name, type: "AAAA", ttl: 300, records: [`2001:db8::${i.toString(16)}`] });
        break;
      case 2:
        rrsets.push({ name, type: "TXT", ttl: 3600, records: [`"bench record ${i}" "second string"`] });
        break;
      case 3:
        rrsets.push({
          name,
          type: "MX",
          ttl: 3600,
          records: [`10 mx${i}.${origin}.`, `20 backup.${origin}.`],
        });
        break;
      case 4:
        rrsets.push({ name, type: "CNAME", ttl: 300, records: [`host${i - 4}.${origin}.`] });
        break;
      default:
        rrsets.push({
          name: `_svc._tcp.${name}`,
          type: "SRV",
          ttl: 300,
          records: [`10 5 443 host${i}.${origin}.`],
        });
    }
  }
  return rrsets;
}

/** The same zone as `aws route53 list-resource-record-sets` prints it. */
function route53Export(origin: string, rrsets: Rrset[]): string {
  return JSON.stringify({
    ResourceRecordSets: [
      {
        Name: `${origin}.`,
        Type: "NS",
        TTL: 172800,
        ResourceRecords: OLD.map((Value) => ({ Value })),
      },
      {
        Name: `${origin}.`,
        Type: "SOA",
        TTL: 900,
        ResourceRecords: [
          { Value: "ns1.oldprovider.test. hostmaster.oldprovider.test. 1 7200 900 1209600 86400" },
        ],
      },
      ...rrsets.map((r) => ({
        Name: r.name,
        Type: r.type,
        TTL: r.ttl,
        ResourceRecords: r.records.map((Value) => ({ Value })),
      })),
    ],
    IsTruncated: false,
    MaxItems: String(rrsets.length + 2),
  });
}

interface ParityBody {
  parity: { matches: boolean; checked: number; mismatched: number; truncated: boolean; error?: string };
  safe_to_delete: boolean;
}

const rrsets = syntheticRrsets(ORIGIN, RRSETS);
const world = await startMigrationWorld({
  label: "pbench",
  origin: ORIGIN,
  delegation: OURS,
  oldRrsets: rrsets,
});
let stopApi: (() => Promise<void>) | undefined;
try {
  const api = await startApiInNetns({
    netns: world.h.ns.name,
    env: {
      ...hierarchyApiEnv({ edge: OUR_EDGE, nameservers: OURS, resolver: RESOLVER }),
      LOG_LEVEL: "warn",
    },
  });
  stopApi = api.stop;
  const token = await api.signIn("bench-parity@example.test");
  const imported = await api.call("POST", "/api/import/route53", {
    bearer: token,
    body: { json: route53Export(ORIGIN, rrsets) },
  });
  const result = imported.body as { zone: { id: string }; imported: number; published: boolean };
  if (imported.status !== 201 || result.imported !== RRSETS || !result.published)
    throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body).slice(0, 500)}`);

  const runParity = async (): Promise<{ seconds: number; body: ParityBody }> => {
    const started = performance.now();
    const response = await api.call("POST", `/api/zones/${result.zone.id}/parity`, {
      bearer: token,
      timeoutMs: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;
    const body = response.body as ParityBody;
    if (response.status !== 200 || !body.parity.matches || body.parity.truncated || !body.safe_to_delete)
      throw new Error(`parity: ${response.status} ${JSON.stringify(response.body).slice(0, 1000)}`);
    return { seconds, body };
  };

  await runParity(); // warm-up, not counted
  const runs: Array<{ seconds: number; body: ParityBody }> = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await runParity());
  // The timed runs really compared both sides: one changed value at the old provider is found.
  const changed = rrsets.map((r, i) => (i === 0 ? { ...r, records: ["10.9.9.9"] } : r));
  await world.serveAtOldProvider(changed);
  const probe = await api.call("POST", `/api/zones/${result.zone.id}/parity`, { bearer: token });
  const found = (probe.body as { parity: { mismatches: { name: string }[] } }).parity.mismatches;
  if (found.length !== 1 || found[0]?.name !== rrsets[0]?.name)
    throw new Error(
      `sanity: one changed rrset should mismatch: ${JSON.stringify(probe.body).slice(0, 1000)}`,
    );

  const seconds = runs.map((r) => r.seconds);
  const last = runs[runs.length - 1]?.body as ParityBody;
  const s = (v: number) => v.toFixed(3);
  console.log(`\nParity check, ${RRSETS} rrsets, median of ${ROUNDS} (after 1 warm-up), target < 5 s\n`);
  console.log("| rrsets | checked | matches | safe_to_delete | median s | min s | max s |");
  console.log("| ---: | ---: | :---: | :---: | ---: | ---: | ---: |");
  console.log(
    `| ${RRSETS} | ${last.parity.checked} | ${last.parity.matches} | ${last.safe_to_delete} | ` +
      `${s(median(seconds))} | ${s(Math.min(...seconds))} | ${s(Math.max(...seconds))} |`,
  );
} finally {
  await stopApi?.();
  await world.close();
}
