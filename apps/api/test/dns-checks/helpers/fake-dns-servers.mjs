// Misbehaving DNS servers for the dns-client tests, run inside the test's network namespace:
//   node fake-dns-servers.mjs MODE=ADDRESS ...      (port 53; prints "ready" once all are bound)
// blackhole  reads every UDP query and TCP connection and never answers
// truncate   UDP: TC=1 and no records; TCP (RFC 7766): the full answer A 192.0.2.1
// noise      UDP: first a reply with another ID, then one for another question, then the answer A 192.0.2.7
// noedns     FORMERR without OPT to any query carrying EDNS (RFC 6891 section 7); A 192.0.2.8 otherwise
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket from "dns-packet";

const PORT = 53;

function reply(query, overrides = {}) {
  return dnsPacket.encode({
    type: "response",
    id: query.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: query.questions,
    answers: [],
    ...overrides,
  });
}

function answerA(query, address) {
  const q = query.questions[0];
  return { answers: [{ name: q.name, type: "A", class: "IN", ttl: 60, data: address }] };
}

function serveTcp(address, respond) {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      let buffered = Buffer.alloc(0);
      socket.on("error", () => {});
      socket.on("data", (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const size = buffered.readUInt16BE(0);
          const query = dnsPacket.decode(buffered.subarray(2, 2 + size));
          buffered = buffered.subarray(2 + size);
          const out = respond(query);
          if (out) {
            const len = Buffer.alloc(2);
            len.writeUInt16BE(out.length);
            socket.write(Buffer.concat([len, out]));
          }
        }
      });
    });
    server.listen(PORT, address, resolve);
  });
}

function serveUdp(address, onQuery) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.on("message", (msg, rinfo) => {
      let query;
      try {
        query = dnsPacket.decode(msg);
      } catch {
        return;
      }
      onQuery(query, (out) => socket.send(out, rinfo.port, rinfo.address), msg);
    });
    socket.bind(PORT, address, resolve);
  });
}

const modes = {
  blackhole: async (address) => {
    await serveUdp(address, () => {});
    await serveTcp(address, () => undefined);
  },
  truncate: async (address) => {
    await serveUdp(address, (query, send) =>
      send(reply(query, { flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.TRUNCATED_RESPONSE })),
    );
    await serveTcp(address, (query) => reply(query, answerA(query, "192.0.2.1")));
  },
  noise: async (address) => {
    await serveUdp(address, (query, send) => {
      send(reply({ ...query, id: (query.id + 1) % 65536 }, answerA(query, "192.0.2.66")));
      const other = { ...query, questions: [{ ...query.questions[0], name: "other.invalid" }] };
      send(reply(other, answerA(other, "192.0.2.67")));
      setTimeout(() => send(reply(query, answerA(query, "192.0.2.7"))), 50);
    });
  },
  noedns: async (address) => {
    const respond = (query) => {
      const hasOpt = (query.additionals ?? []).some((r) => r.type === "OPT");
      if (hasOpt)
        return dnsPacket.encode({ type: "response", id: query.id, flags: 1, questions: query.questions });
      return reply(query, answerA(query, "192.0.2.8"));
    };
    await serveUdp(address, (query, send) => send(respond(query)));
    await serveTcp(address, respond);
  },
};

for (const arg of process.argv.slice(2)) {
  const [mode, address] = arg.split("=");
  const start = modes[mode];
  if (!start || !address) throw new Error(`bad argument ${arg}`);
  await start(address);
}
console.log("ready");
