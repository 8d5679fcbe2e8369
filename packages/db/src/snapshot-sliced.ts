/**
 * Snapshot text in and out without one long pause: an edge loading a zone and the API compacting
 * one (compact-history.ts) would otherwise hold their event loop for one JSON.parse or
 * JSON.stringify of the whole zone — over a second at 200,000 rrsets on a loaded machine, during
 * which an edge answers no query and the API no request (issue 14).
 */
import { decodeSnapshot, type SnapshotContent, type SnapshotRRset } from "./snapshot.js";

/** One turn of the event loop: a setImmediate, so I/O callbacks run in between. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** The head encodeSnapshot and encodeSnapshotFromRows write before the rrsets. */
const HEAD = /^\{"origin":("(?:[^"\\]|\\.)*"),"serial":(\d+),"rrsets":\[/;

/**
 * decodeSnapshot for big snapshots without a long pause: one JSON.parse of a 3 MB snapshot holds
 * the event loop for tens of milliseconds (seconds on a loaded machine), during which this edge
 * answers nothing. The rrsets array is cut at top-level commas into pieces of about `chunkChars`
 * characters, each parsed on its own with the event loop free in between (setImmediate). Text
 * not in the stored shape falls back to decodeSnapshot.
 */
export async function decodeSnapshotSliced(text: string, chunkChars = 64 * 1024): Promise<SnapshotContent> {
  const head = HEAD.exec(text);
  if (!head?.[1] || !head[2]) return decodeSnapshot(text);
  const origin = JSON.parse(head[1]) as string;
  const serial = Number(head[2]);
  const rrsets: SnapshotRRset[] = [];
  const take = (from: number, to: number) => {
    if (to > from)
      for (const rrset of JSON.parse(`[${text.slice(from, to)}]`) as SnapshotRRset[]) rrsets.push(rrset);
  };
  let start = head[0].length;
  let depth = 0;
  let inString = false;
  let pos = start;
  for (; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (inString) {
      if (c === 0x5c)
        pos++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) break; // the `]` that closes rrsets
      depth--;
    } else if (c === 0x2c && depth === 0 && pos - start >= chunkChars) {
      take(start, pos);
      start = pos + 1;
      await yieldToEventLoop();
    }
  }
  take(start, pos);
  if (text.slice(pos) !== "]}") throw new Error("malformed snapshot");
  return { origin, serial, rrsets };
}

/** Rrsets encoded between two turns of the event loop by encodeSnapshotSliced. */
const ENCODE_SLICE = 2000;

/**
 * encodeSnapshot's exact text (JSON.stringify writes an array as its elements joined by commas),
 * built `rrsetsPerSlice` rrsets at a time with the event loop free in between.
 */
export async function encodeSnapshotSliced(
  content: SnapshotContent,
  rrsetsPerSlice = ENCODE_SLICE,
): Promise<string> {
  const parts: string[] = [];
  for (let i = 0; i < content.rrsets.length; i++) {
    if (i > 0 && i % rrsetsPerSlice === 0) await yieldToEventLoop();
    parts.push(JSON.stringify(content.rrsets[i]));
  }
  return `{"origin":${JSON.stringify(content.origin)},"serial":${JSON.stringify(content.serial)},"rrsets":[${parts.join(",")}]}`;
}
