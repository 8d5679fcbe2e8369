/**
 * Single-hostname types: CNAME, NS, PTR (RFC 1035). The root name is rejected (it is never a useful
 * alias, nameserver or pointer target), and so is anything shaped like an IP address.
 */
import type { RdataCodec } from "../codec.js";
import { DnsInputError } from "../errors.js";
import { exactFields } from "../lexer.js";
import { canonicalTargetName } from "../names.js";

export function nonRootTarget(text: string): string {
  const name = canonicalTargetName(text);
  if (name === ".") throw new DnsInputError("target must not be the root name");
  return name;
}

function hostnameCodec(): RdataCodec<string> {
  return {
    parse(text) {
      const [target = ""] = exactFields(text, 1, "a single hostname");
      return nonRootTarget(target);
    },
    format: (v) => v,
    write(w, v) {
      w.name(v);
    },
    read(r) {
      return r.name();
    },
  };
}

export const CNAME = hostnameCodec();
export const NS = hostnameCodec();
export const PTR = hostnameCodec();
