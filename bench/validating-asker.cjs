// Runs INSIDE a network namespace (`ip netns exec NS node validating-asker.cjs`) for
// dnssec-validated-publish.ts: asks the namespace's validating resolver (127.0.0.1:53, RD + DO set)
// one TXT question per stdin line ("<id> <name>"), one JSON line per answer on stdout
// ({ id, rcode, ad, txt: [...] }), so a round's timing holds no process start.
const dgram = require("node:dgram");
const readline = require("node:readline");
const packet = require("dns-packet");

const socket = dgram.createSocket("udp4");
const pending = new Map();
let next = 1;
socket.on("message", (message) => {
  const reply = packet.decode(message);
  const entry = pending.get(reply.id);
  if (!entry) return;
  pending.delete(reply.id);
  clearTimeout(entry.timer);
  const txt = (reply.answers || [])
    .filter((a) => a.type === "TXT")
    .map((a) => a.data.map((b) => b.toString()).join(""));
  process.stdout.write(
    `${JSON.stringify({ id: entry.id, rcode: reply.rcode, ad: Boolean(reply.flag_ad), txt })}\n`,
  );
});
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const [id, name] = line.trim().split(/\s+/);
  const qid = next++ & 0xffff;
  const query = packet.encode({
    type: "query",
    id: qid,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type: "TXT", name }],
    additionals: [{ type: "OPT", name: ".", udpPayloadSize: 1232, flags: packet.DNSSEC_OK }],
  });
  const timer = setTimeout(() => {
    pending.delete(qid);
    process.stdout.write(`${JSON.stringify({ id, rcode: "TIMEOUT", ad: false, txt: [] })}\n`);
  }, 10_000);
  pending.set(qid, { id, timer });
  socket.send(query, 53, "127.0.0.1");
});
