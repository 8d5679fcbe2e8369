/** MX (RFC 1035, null MX RFC 7505) and SRV (RFC 2782). Both accept "." as target. */
import type { RdataCodec } from "../codec.js";
import { exactFields } from "../lexer.js";
import { canonicalTargetName } from "../names.js";
import { parseUint, U16 } from "../numbers.js";

export interface Mx {
  preference: number;
  exchange: string;
}

export const MX: RdataCodec<Mx> = {
  parse(text) {
    const [pref = "", target = ""] = exactFields(text, 2, "preference and mail exchanger");
    return { preference: parseUint(pref, U16, "MX preference"), exchange: canonicalTargetName(target) };
  },
  format: (v) => `${v.preference} ${v.exchange}`,
  write(w, v) {
    w.u16(v.preference).name(v.exchange);
  },
  read(r) {
    return { preference: r.u16(), exchange: r.name() };
  },
};

export interface Srv {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export const SRV: RdataCodec<Srv> = {
  parse(text) {
    const [prio = "", weight = "", port = "", target = ""] = exactFields(
      text,
      4,
      "priority, weight, port and target",
    );
    return {
      priority: parseUint(prio, U16, "SRV priority"),
      weight: parseUint(weight, U16, "SRV weight"),
      port: parseUint(port, U16, "SRV port"),
      target: canonicalTargetName(target),
    };
  },
  format: (v) => `${v.priority} ${v.weight} ${v.port} ${v.target}`,
  write(w, v) {
    w.u16(v.priority).u16(v.weight).u16(v.port).name(v.target);
  },
  read(r) {
    return { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
  },
};
