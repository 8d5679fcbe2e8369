import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import dnsPacket from "dns-packet";

/** Asks one server for a zone's SOA over UDP; resolves its serial, or null on no usable answer. */
export function querySoaSerial(
  host: string,
  port: number,
  origin: string,
  timeoutMs = 1000,
): Promise<number | null> {
  return new Promise((resolve) => {
    const id = randomInt(0, 0xffff);
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
    const done = (serial: number | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(serial);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on("error", () => done(null));
    socket.on("message", (message) => {
      try {
        const answer = dnsPacket.decode(message);
        if (answer.id !== id) return;
        const soa = answer.answers?.find((record) => record.type === "SOA");
        done(soa && soa.type === "SOA" ? (soa.data.serial ?? null) : null);
      } catch {
        done(null);
      }
    });
    const query = dnsPacket.encode({
      type: "query",
      id,
      flags: 0,
      questions: [{ type: "SOA", class: "IN", name: origin.replace(/\.$/, "") }],
    });
    socket.send(query, port, host);
  });
}
