/**
 * TCP exhaustion (RFC 7766 section 6.2.2/6.2.3): 300 slow-drip clients, each promising a query and
 * sending one octet every 3 s and reconnecting when closed, must not stop fresh TCP and UDP
 * queries from being answered within 2 s, whether they come from many source addresses or the
 * same one as the real client, with the defaults and with small limits that force eviction. The
 * drip must not keep a connection open past the complete-message deadline.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type RunningDnsServer, startDnsServer, ZoneSet } from "../src/index.js";
import { TCP_DEFAULTS, type TcpLimits } from "../src/server/tcp-front.js";
import { dig, kdig } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";
import { SlowTcpClients } from "./helpers/slow-tcp-clients.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ATTACKERS = 300;
const DRIP_EVERY_MS = 3000;
/** Long enough to span the message deadline and a round of reconnections. */
const ATTACK_MS = 12_000;
/** Generous: dig's own timeout is 2 s (+time=2); the rest is process start-up on a loaded machine. */
const PROBE_BOUND_MS = 4000;

let server: RunningDnsServer | undefined;
let attackers: SlowTcpClients | undefined;
afterEach(async () => {
  attackers?.stop();
  await server?.close();
  server = undefined;
  attackers = undefined;
});

async function start(tcp?: Partial<TcpLimits>): Promise<number> {
  const zones = new ZoneSet();
  zones.put("Z1", fixtureZone("edge.test.", 1));
  server = await startDnsServer({
    host: "127.0.0.1",
    port: 0,
    zones,
    transfer: { allow: ["127.0.0.1"], tsigKeys: [], requireTsig: false },
    logger: quiet,
    ...(tcp ? { tcp } : {}),
  });
  return server.port;
}

const sources = (n: number) => Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);

/** Probes with dig +tcp, kdig +tcp and dig over UDP, back to back, for the whole attack. */
async function probeDuringAttack(port: number): Promise<void> {
  const t0 = Date.now();
  let round = 0;
  while (Date.now() - t0 < ATTACK_MS) {
    const started = Date.now();
    const [tcp, udp] = await Promise.all([
      round % 2 === 0
        ? dig(port, ["+tcp", "host.edge.test", "A"])
        : kdig(port, ["+tcp", "host.edge.test", "A"]),
      dig(port, ["host.edge.test", "A"]),
    ]);
    const elapsed = Date.now() - started;
    const when = `probe ${round} at ${started - t0} ms (${attackers?.live.size} attacker connections open)`;
    expect(tcp.answer[0]?.rdata, `TCP ${when}: ${tcp.raw}`).toBe("192.0.2.10");
    expect(tcp.transport, when).toBe("TCP");
    expect(udp.answer[0]?.rdata, `UDP ${when}: ${udp.raw}`).toBe("192.0.2.10");
    expect(elapsed, when).toBeLessThan(PROBE_BOUND_MS);
    round++;
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(round).toBeGreaterThan(3);
}

/** The drip never extends the deadline: no connection outlives the message timeout (+ slack). */
function expectDripConnectionsClosed(messageTimeoutMs: number): void {
  const a = attackers as SlowTcpClients;
  expect(a.connects).toBeGreaterThanOrEqual(ATTACKERS);
  expect(a.lifetimes.length).toBeGreaterThan(0);
  expect(Math.max(...a.lifetimes)).toBeLessThan(messageTimeoutMs + 3000);
  expect(a.oldestLiveMs()).toBeLessThan(messageTimeoutMs + 3000);
}

describe("300 slow TCP clients", () => {
  it("from ten source addresses, with the defaults: fresh TCP and UDP queries are answered", async () => {
    const port = await start();
    attackers = new SlowTcpClients(port, sources(10), DRIP_EVERY_MS, 200);
    attackers.start(ATTACKERS);
    await probeDuringAttack(port);
    expectDripConnectionsClosed(TCP_DEFAULTS.messageTimeoutMs);
  });

  it("from the real client's own address, with the defaults: the per-source cap evicts the drip", async () => {
    const port = await start();
    attackers = new SlowTcpClients(port, ["127.0.0.1"], DRIP_EVERY_MS, 200);
    attackers.start(ATTACKERS);
    await probeDuringAttack(port);
    // At most maxPerSource of the attacker's connections are open at once (+ a few in the accept queue).
    expect(attackers.live.size).toBeLessThanOrEqual(TCP_DEFAULTS.maxPerSource + 10);
    expectDripConnectionsClosed(TCP_DEFAULTS.messageTimeoutMs);
  });

  it("with a global cap of 100 and a long deadline: the oldest idle connection is evicted for each new one", async () => {
    // The deadline is longer than the attack, so only eviction can make room.
    const port = await start({ maxConnections: 100, maxPerSource: 1000, messageTimeoutMs: 60_000 });
    attackers = new SlowTcpClients(port, sources(10), DRIP_EVERY_MS, 500);
    attackers.start(ATTACKERS);
    await probeDuringAttack(port);
    expect(attackers.live.size).toBeLessThanOrEqual(100 + 20);
  });

  it("with a per-source cap of 5: one source cannot hold more than 5 connections", async () => {
    const port = await start({ maxPerSource: 5, messageTimeoutMs: 60_000 });
    attackers = new SlowTcpClients(port, ["127.0.0.2"], DRIP_EVERY_MS, 500);
    attackers.start(50);
    await new Promise((r) => setTimeout(r, 2000));
    expect(attackers.connects).toBeGreaterThan(50);
    expect(attackers.live.size).toBeLessThanOrEqual(5 + 5);
    const tcp = await dig(port, ["+tcp", "-b", "127.0.0.2", "host.edge.test", "A"]);
    expect(tcp.answer[0]?.rdata, tcp.raw).toBe("192.0.2.10");
  });
});
