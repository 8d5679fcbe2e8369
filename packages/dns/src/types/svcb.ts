/**
 * SVCB and HTTPS (RFC 9460; dohpath RFC 9461): `priority target key=value ...`.
 *
 * Decisions (canonical output matches what BIND 9.18 prints):
 * - priority 0 is AliasMode and must not carry SvcParams; the target may be "." in both modes.
 * - Keys: mandatory(0) alpn(1) no-default-alpn(2) port(3) ipv4hint(4) ech(5) ipv6hint(6)
 *   dohpath(7) and keyNNNNN (0-65534, no leading zeros; key65535 is reserved). keyN for a known
 *   N is parsed and printed under its name. Key names are accepted in any case, printed lowercase.
 *   Other named keys (e.g. "ohttp") are rejected: write them as keyNNNNN.
 * - Values are stored as their wire octets and printed sorted by key number. Duplicates are errors.
 * - Printed forms: mandatory=alpn,port (sorted by key number), alpn="h2,h3" (always quoted; a comma
 *   inside an id is `\\,`, a backslash `\\\\`), no-default-alpn (bare), port=443,
 *   ipv4hint=192.0.2.1,192.0.2.2 and ipv6hint=2001:db8::1 (given order kept),
 *   ech=<standard base64>, dohpath="/q{?dns}" and key65000="..." (quoted character-string).
 *   A key whose value is empty is printed bare ("ech", "key65000"), as BIND does.
 * - Consistency (RFC 9460 sections 7/8): mandatory must not list itself, every key it lists must be
 *   present; no-default-alpn requires alpn; dohpath must be UTF-8, start with "/" and contain
 *   "{?dns}" (the same rule BIND applies).
 */

import { decodeEscapes, escapeOctet, quoteBytes } from "../charstring.js";
import type { RdataCodec } from "../codec.js";
import { formatBase64, parseBase64 } from "../encodings.js";
import { DnsInputError } from "../errors.js";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "../ip.js";
import { canonicalTargetName } from "../names.js";
import { parseUint, U16 } from "../numbers.js";
import { WireReader, WireWriter } from "../wire.js";

export interface Svcb {
  priority: number;
  target: string;
  /** key number -> wire value; kept sorted by key when formatted/written. */
  params: Map<number, Uint8Array>;
}

const KEY_NAMES = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint", "dohpath"];
const MANDATORY = 0;
const ALPN = 1;
const NO_DEFAULT_ALPN = 2;
const PORT = 3;
const IPV4HINT = 4;
const ECH = 5;
const IPV6HINT = 6;
const DOHPATH = 7;

export function svcParamKeyName(key: number): string {
  return KEY_NAMES[key] ?? `key${key}`;
}

function parseKeyName(name: string): number {
  const lower = name.toLowerCase();
  const known = KEY_NAMES.indexOf(lower);
  if (known !== -1) return known;
  const m = /^key(0|[1-9][0-9]{0,4})$/.exec(lower);
  if (!m) throw new DnsInputError(`unknown SvcParamKey "${name}"`);
  const key = Number(m[1]);
  if (key > 65535) throw new DnsInputError(`unknown SvcParamKey "${name}"`);
  if (key === 65535) throw new DnsInputError("SvcParamKey key65535 is reserved");
  return key;
}

/** RFC 9460 appendix A.1 value-list: items split on "," with "\," and "\\" escapes (after char-string decoding). */
function splitValueList(bytes: Uint8Array): Uint8Array[] {
  const items: Uint8Array[] = [];
  let cur: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x5c) {
      const next = bytes[i + 1];
      if (next === undefined) throw new DnsInputError("value list ends with a lone backslash");
      cur.push(next);
      i++;
    } else if (b === 0x2c) {
      items.push(Uint8Array.from(cur));
      cur = [];
    } else {
      cur.push(b);
    }
  }
  items.push(Uint8Array.from(cur));
  return items;
}

function asciiList(bytes: Uint8Array): string[] {
  return String.fromCharCode(...bytes).split(",");
}

/** Presentation value (decoded octets, or null when the key had no "=") -> wire octets. */
function valueToWire(key: number, value: Uint8Array | null): Uint8Array {
  const name = svcParamKeyName(key);
  const v = value ?? new Uint8Array(0);
  const needValue = (): void => {
    if (v.length === 0) throw new DnsInputError(`SvcParam ${name} needs a value`);
  };
  const w = new WireWriter();
  switch (key) {
    case MANDATORY: {
      needValue();
      const keys = asciiList(v).map((item) => {
        if (item === "") throw new DnsInputError("mandatory contains an empty key");
        const k = parseKeyName(item);
        if (k === MANDATORY) throw new DnsInputError("mandatory must not list mandatory");
        return k;
      });
      keys.sort((a, b) => a - b);
      keys.forEach((k, i) => {
        if (i > 0 && keys[i - 1] === k)
          throw new DnsInputError(`mandatory lists ${svcParamKeyName(k)} twice`);
        w.u16(k);
      });
      break;
    }
    case ALPN: {
      needValue();
      for (const id of splitValueList(v)) {
        if (id.length === 0) throw new DnsInputError("alpn contains an empty protocol id");
        if (id.length > 255) throw new DnsInputError("alpn protocol id longer than 255 octets");
        w.charString(id);
      }
      break;
    }
    case NO_DEFAULT_ALPN:
      if (v.length !== 0) throw new DnsInputError("no-default-alpn takes no value");
      break;
    case PORT: {
      needValue();
      w.u16(parseUint(String.fromCharCode(...v), U16, "port"));
      break;
    }
    case IPV4HINT:
    case IPV6HINT: {
      needValue();
      for (const item of asciiList(v)) {
        const addr = key === IPV4HINT ? parseIPv4(item) : parseIPv6(item);
        if (!addr) throw new DnsInputError(`invalid address "${item}" in ${name}`);
        w.bytes(addr);
      }
      break;
    }
    case ECH:
      if (v.length > 0) w.bytes(parseBase64(String.fromCharCode(...v), "ech"));
      break;
    default:
      w.bytes(v);
  }
  const out = w.finish();
  validateWireValue(key, out);
  return out;
}

function validateWireValue(key: number, v: Uint8Array): void {
  const name = svcParamKeyName(key);
  switch (key) {
    case MANDATORY:
      if (v.length === 0 || v.length % 2 !== 0) throw new DnsInputError("invalid mandatory value");
      break;
    case ALPN: {
      if (v.length === 0) throw new DnsInputError("alpn needs a value");
      for (let i = 0; i < v.length; i += 1 + (v[i] ?? 0)) {
        if (v[i] === 0) throw new DnsInputError("alpn contains an empty protocol id");
        if (i + 1 + (v[i] ?? 0) > v.length) throw new DnsInputError("invalid alpn value");
      }
      break;
    }
    case NO_DEFAULT_ALPN:
      if (v.length !== 0) throw new DnsInputError("no-default-alpn takes no value");
      break;
    case PORT:
      if (v.length !== 2) throw new DnsInputError("invalid port value");
      break;
    case IPV4HINT:
    case IPV6HINT: {
      const size = key === IPV4HINT ? 4 : 16;
      if (v.length === 0 || v.length % size !== 0) throw new DnsInputError(`invalid ${name} value`);
      break;
    }
    case DOHPATH: {
      let path: string;
      try {
        path = new TextDecoder("utf-8", { fatal: true }).decode(v);
      } catch {
        throw new DnsInputError("dohpath must be UTF-8");
      }
      if (!path.startsWith("/") || !path.includes("{?dns}")) {
        throw new DnsInputError('dohpath must start with "/" and contain "{?dns}"');
      }
      break;
    }
    default:
      break;
  }
}

function formatAlpnId(id: Uint8Array): string {
  let s = "";
  for (const b of id) {
    if (b === 0x2c) s += "\\\\,";
    else if (b === 0x5c) s += "\\\\\\\\";
    else s += escapeOctet(b);
  }
  return s;
}

function formatValue(key: number, v: Uint8Array): string {
  switch (key) {
    case MANDATORY: {
      const keys: string[] = [];
      for (let i = 0; i < v.length; i += 2) keys.push(svcParamKeyName(((v[i] ?? 0) << 8) | (v[i + 1] ?? 0)));
      return keys.join(",");
    }
    case ALPN: {
      const ids: string[] = [];
      const r = new WireReader(v);
      while (r.remaining > 0) ids.push(formatAlpnId(r.charString()));
      return `"${ids.join(",")}"`;
    }
    case PORT:
      return String(((v[0] ?? 0) << 8) | (v[1] ?? 0));
    case IPV4HINT:
    case IPV6HINT: {
      const size = key === IPV4HINT ? 4 : 16;
      const out: string[] = [];
      for (let i = 0; i < v.length; i += size) {
        const addr = v.subarray(i, i + size);
        out.push(size === 4 ? formatIPv4(addr) : formatIPv6(addr));
      }
      return out.join(",");
    }
    case ECH:
      return formatBase64(v);
    default:
      return quoteBytes(v);
  }
}

interface RawParam {
  name: string;
  value: Uint8Array | null;
}

const WS = /\s/;

/** Scan `key`, `key=value` and `key="quoted value"` items. */
function scanParams(s: string): RawParam[] {
  const out: RawParam[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (WS.test(s[i] ?? "")) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && s[j] !== "=" && !WS.test(s[j] ?? "")) j++;
    const name = s.slice(i, j);
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw new DnsInputError(`invalid SvcParam "${name}"`);
    if (s[j] !== "=") {
      out.push({ name, value: null });
      i = j;
      continue;
    }
    j++;
    if (s[j] === '"') {
      let k = j + 1;
      while (k < n && s[k] !== '"') k += s[k] === "\\" ? 2 : 1;
      if (k >= n) throw new DnsInputError("unterminated quoted string");
      out.push({ name, value: decodeEscapes(s.slice(j + 1, k)) });
      i = k + 1;
      if (i < n && !WS.test(s[i] ?? "")) throw new DnsInputError("unexpected text after a quoted string");
      continue;
    }
    let k = j;
    while (k < n && !WS.test(s[k] ?? "")) {
      if (s[k] === '"') throw new DnsInputError("unexpected quote inside unquoted text");
      k += s[k] === "\\" ? 2 : 1;
    }
    out.push({ name, value: decodeEscapes(s.slice(j, Math.min(k, n))) });
    i = k;
  }
  return out;
}

function checkConsistency(params: Map<number, Uint8Array>): void {
  const mandatory = params.get(MANDATORY);
  if (mandatory) {
    for (let i = 0; i < mandatory.length; i += 2) {
      const key = ((mandatory[i] ?? 0) << 8) | (mandatory[i + 1] ?? 0);
      if (key === MANDATORY) throw new DnsInputError("mandatory must not list mandatory");
      if (i > 0 && key <= (((mandatory[i - 2] ?? 0) << 8) | (mandatory[i - 1] ?? 0))) {
        throw new DnsInputError("mandatory keys must be unique and sorted");
      }
      if (!params.has(key)) {
        throw new DnsInputError(`mandatory lists ${svcParamKeyName(key)} but it is not present`);
      }
    }
  }
  if (params.has(NO_DEFAULT_ALPN) && !params.has(ALPN)) {
    throw new DnsInputError("no-default-alpn requires alpn");
  }
}

function sortedKeys(params: Map<number, Uint8Array>): number[] {
  return [...params.keys()].sort((a, b) => a - b);
}

function svcbCodec(): RdataCodec<Svcb> {
  return {
    parse(text) {
      const m = /^\s*(\S+)(?:\s+([^\s"]+))?([\s\S]*)$/.exec(text);
      if (!m || m[2] === undefined) throw new DnsInputError("expected priority and target");
      const priority = parseUint(m[1] ?? "", U16, "SVCB priority");
      const target = canonicalTargetName(m[2]);
      const rest = m[3] ?? "";
      if (rest !== "" && !WS.test(rest[0] ?? "")) throw new DnsInputError("expected priority and target");
      const params = new Map<number, Uint8Array>();
      for (const raw of scanParams(rest)) {
        const key = parseKeyName(raw.name);
        if (params.has(key)) throw new DnsInputError(`duplicate SvcParamKey ${svcParamKeyName(key)}`);
        params.set(key, valueToWire(key, raw.value));
      }
      if (priority === 0 && params.size > 0) {
        throw new DnsInputError("AliasMode (priority 0) records must not have SvcParams");
      }
      checkConsistency(params);
      return { priority, target, params };
    },
    format(v) {
      const parts = [String(v.priority), v.target];
      for (const key of sortedKeys(v.params)) {
        const value = v.params.get(key) ?? new Uint8Array(0);
        const name = svcParamKeyName(key);
        parts.push(value.length === 0 ? name : `${name}=${formatValue(key, value)}`);
      }
      return parts.join(" ");
    },
    write(w, v) {
      w.u16(v.priority).name(v.target);
      for (const key of sortedKeys(v.params)) {
        const value = v.params.get(key) ?? new Uint8Array(0);
        w.u16(key).u16(value.length).bytes(value);
      }
    },
    read(r) {
      const priority = r.u16();
      const target = r.name();
      const params = new Map<number, Uint8Array>();
      let last = -1;
      while (r.remaining > 0) {
        const key = r.u16();
        if (key <= last) throw new DnsInputError("SvcParamKeys must be unique and in increasing order");
        last = key;
        const value = r.bytes(r.u16());
        validateWireValue(key, value);
        params.set(key, value);
      }
      return { priority, target, params };
    },
  };
}

export const SVCB = svcbCodec();
export const HTTPS = svcbCodec();
