/** SOA (RFC 1035): platform-managed, supported for wire conversion only. Timers are plain seconds. */
import type { RdataCodec } from "../codec.js";
import { exactFields } from "../lexer.js";
import { canonicalTargetName } from "../names.js";
import { parseUint, U32 } from "../numbers.js";

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

const NUMBERS = ["serial", "refresh", "retry", "expire", "minimum"] as const;

export const SOA: RdataCodec<Soa> = {
  parse(text) {
    const f = exactFields(text, 7, "mname rname serial refresh retry expire minimum");
    const [serial, refresh, retry, expire, minimum] = NUMBERS.map((name, i) =>
      parseUint(f[i + 2] ?? "", U32, `SOA ${name}`),
    );
    return {
      mname: canonicalTargetName(f[0] ?? ""),
      rname: canonicalTargetName(f[1] ?? ""),
      serial: serial ?? 0,
      refresh: refresh ?? 0,
      retry: retry ?? 0,
      expire: expire ?? 0,
      minimum: minimum ?? 0,
    };
  },
  format: (v) => `${v.mname} ${v.rname} ${v.serial} ${v.refresh} ${v.retry} ${v.expire} ${v.minimum}`,
  write(w, v) {
    w.name(v.mname).name(v.rname).u32(v.serial).u32(v.refresh).u32(v.retry).u32(v.expire).u32(v.minimum);
  },
  read(r) {
    return {
      mname: r.name(),
      rname: r.name(),
      serial: r.u32(),
      refresh: r.u32(),
      retry: r.u32(),
      expire: r.u32(),
      minimum: r.u32(),
    };
  },
};
