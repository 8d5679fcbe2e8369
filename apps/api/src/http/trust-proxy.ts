import { BlockList, isIP } from "node:net";

/**
 * Which peers may tell us the client's address in `X-Forwarded-For`. The default trusts nobody:
 * the socket's peer is the client, so no caller can choose its own rate-limit bucket by sending
 * the header. Behind a load balancer, name the balancer's addresses or count its hops.
 */
export interface TrustProxy {
  /** Trust this many hops nearest to us whatever their address (Express's numeric `trust proxy`). */
  hops: number;
  /** Trust any hop whose address is in one of these (addresses, CIDRs or the names below). */
  ranges: string[];
}

export const TRUST_NONE: TrustProxy = Object.freeze({ hops: 0, ranges: [] });

/** The names Express's `trust proxy` knows, as the ranges they stand for. */
const NAMED: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/**
 * Parses `DNSCOVE_TRUST_PROXY`: empty or `none` trusts nobody; otherwise a comma-separated list of
 * addresses, CIDRs (`10.0.0.0/8`, `2001:db8::/32`), `loopback`/`linklocal`/`uniquelocal`, and at
 * most one hop count (`1` = the one balancer in front of us). Throws a message naming the bad item.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0 || (items.length === 1 && items[0]?.toLowerCase() === "none")) return TRUST_NONE;
  let hops: number | undefined;
  const ranges: string[] = [];
  for (const item of items) {
    const lower = item.toLowerCase();
    if (/^\d+$/.test(item)) {
      if (hops !== undefined) throw new Error(`more than one hop count ("${hops}", "${item}")`);
      hops = Number(item);
      if (hops > 32) throw new Error(`hop count ${item} is more proxies than any real chain has`);
    } else if (NAMED[lower]) {
      ranges.push(...NAMED[lower]);
    } else if (lower === "true" || lower === "all" || lower === "*") {
      // Express's `true` believes the left-most address, which the client itself writes.
      throw new Error(`"${item}" would let every caller pick its own address; list the proxies instead`);
    } else {
      ranges.push(cidr(item));
    }
  }
  return Object.freeze({ hops: hops ?? 0, ranges });
}

/** An address or CIDR in canonical `address/prefix` form; throws when it is neither. */
function cidr(item: string): string {
  const slash = item.indexOf("/");
  const address = slash < 0 ? item : item.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new Error(`"${item}" is not an IP address, a CIDR or a hop count`);
  const max = family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : item.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
    throw new Error(`"${item}" has a prefix length outside 0-${max}`);
  }
  return `${address}/${prefix}`;
}

/**
 * The `trust proxy` function Express calls for each hop, nearest first (`hop` 0 is the socket's
 * peer); `req.ip` becomes the first address not trusted. IPv4-mapped IPv6 peers (`::ffff:a.b.c.d`,
 * seen on dual-stack sockets) match IPv4 ranges.
 */
export function trustProxyFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  const list = new BlockList();
  for (const range of trust.ranges) {
    const [address = "", prefix = ""] = range.split("/");
    list.addSubnet(address, Number(prefix), isIP(address) === 6 ? "ipv6" : "ipv4");
  }
  return (address, hop) => {
    if (hop < trust.hops) return true;
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
  };
}
