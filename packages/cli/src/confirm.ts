import { createInterface } from "node:readline/promises";
import { UsageError } from "./errors.js";

/**
 * Asks on the terminal and goes on only when the answer is "yes". Without a terminal there is no
 * one to ask: `refusal` says which flag to pass instead (as `zones delete` does with --yes).
 */
export async function confirmOnTerminal(question: string, refusal: string, declined: string): Promise<void> {
  if (!process.stdin.isTTY) throw new UsageError(refusal);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Type "yes" to confirm: `);
    if (answer.trim().toLowerCase() !== "yes") throw new UsageError(declined);
  } finally {
    rl.close();
  }
}
