import type { DecodedQuestion } from "../wire/decode-message.js";
import type { PackedRRset, WireRR } from "../wire/message-builder.js";

/** One whole rrset of a section: loose records, or a zone's packed rrset. */
export type PlanRRset = readonly WireRR[] | PackedRRset;

/** A response before encoding: sections hold whole RRsets, so truncation never splits one. */
export interface ResponsePlan {
  id: number;
  opcode: number;
  aa: boolean;
  rd: boolean;
  cd: boolean;
  /** Full 12-bit RCODE; values above 15 need EDNS (RFC 6891 section 6.1.3). */
  rcode: number;
  question?: DecodedQuestion;
  answer: PlanRRset[];
  authority: PlanRRset[];
  additional: PlanRRset[];
  /**
   * Present when the response carries an OPT record (only if the query had one). `ede` is an
   * Extended DNS Error INFO-CODE to attach (RFC 8914), without EXTRA-TEXT.
   */
  edns?: { dnssecOk: boolean; ede?: number };
}

export function emptyPlan(
  id: number,
  opcode: number,
  rcode: number,
  question?: DecodedQuestion,
): ResponsePlan {
  const plan: ResponsePlan = {
    id,
    opcode,
    aa: false,
    rd: false,
    cd: false,
    rcode,
    answer: [],
    authority: [],
    additional: [],
  };
  if (question) plan.question = question;
  return plan;
}
