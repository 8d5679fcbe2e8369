/** Which source addresses may transfer zones: IP addresses and CIDR prefixes, IPv4 and IPv6. */
import { BlockList, isIP } from "node:net";
import type { TsigKey } from "./tsig.js";

export interface TransferPolicy {
  /** IP addresses or CIDR prefixes ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"). */
  allow: string[];
  tsigKeys: TsigKey[];
  /** When true, a transfer also needs a valid TSIG signature with one of `tsigKeys`. */
  requireTsig: boolean;
}

/** "::ffff:1.2.3.4" (an IPv4 client on a dual-stack socket) -> "1.2.3.4". */
export function normalizeAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? (m[1] as string) : address;
}

export class TransferAcl {
  private readonly list = new BlockList();
  constructor(allow: readonly string[]) {
    for (const entry of allow) {
      const [addr, prefix] = entry.trim().split("/");
      const ip = normalizeAddress(addr ?? "");
      const family = isIP(ip);
      if (family === 0) throw new Error(`invalid address in transfer allow list: ${entry}`);
      const type = family === 4 ? "ipv4" : "ipv6";
      if (prefix === undefined) this.list.addAddress(ip, type);
      else {
        const n = Number(prefix);
        if (!Number.isInteger(n) || n < 0 || n > (family === 4 ? 32 : 128))
          throw new Error(`invalid prefix in ${entry}`);
        this.list.addSubnet(ip, n, type);
      }
    }
  }
  allows(address: string): boolean {
    const ip = normalizeAddress(address);
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 4 ? "ipv4" : "ipv6");
  }
}
