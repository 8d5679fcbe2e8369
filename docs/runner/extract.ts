/**
 * Extracts the shell blocks of a Markdown guide together with the `<!-- run: … -->` directive
 * written just above each, so the runner executes exactly what the reader sees.
 *
 * Directive grammar (an HTML comment, invisible when rendered), parts separated by ` ; `:
 *   skip (reason)            not run; the reason is mandatory (AWS, a registrar, …)
 *   background               run in the background (long-lived: `pnpm start`); killed at the end
 *   ready=<probe>            after the block, wait until `http(s)://…` answers 2xx or `tcp:host:port`
 *                            accepts a connection (repeatable)
 *   expect=<regex>           the block's combined output must match (repeatable)
 *   timeout=<seconds>        how long `ready` may take (default 300)
 * A shell block without a directive runs in the foreground and must exit 0.
 */

export interface Directive {
  skip?: string;
  background: boolean;
  ready: string[];
  readyTimeoutSeconds: number;
  expect: RegExp[];
}

export interface ShellBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
  directive: Directive;
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console"]);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*$/;
const DIRECTIVE = /^\s*<!--\s*run:(.*?)-->\s*$/;

export function parseDirective(text: string): Directive {
  const directive: Directive = { background: false, ready: [], readyTimeoutSeconds: 300, expect: [] };
  for (const part of text.split(" ; ").map((p) => p.trim())) {
    if (part === "") continue;
    const skip = /^skip\s*\((.+)\)$/.exec(part);
    if (skip?.[1]) {
      directive.skip = skip[1].trim();
      continue;
    }
    if (part === "background") {
      directive.background = true;
      continue;
    }
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq).trim();
    const value = eq < 0 ? "" : part.slice(eq + 1).trim();
    if (key === "ready" && value) directive.ready.push(value);
    else if (key === "expect" && value) directive.expect.push(new RegExp(value, "m"));
    else if (key === "timeout" && /^\d+$/.test(value)) directive.readyTimeoutSeconds = Number(value);
    else throw new Error(`unknown run directive part "${part}" (skip needs a reason in parentheses)`);
  }
  return directive;
}

/** Every shell block of the Markdown text, in order. */
export function extractShellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split("\n");
  const blocks: ShellBlock[] = [];
  let pending: { text: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i] ?? "";
    const comment = DIRECTIVE.exec(current);
    if (comment) {
      pending = { text: comment[1] ?? "", line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(current);
    if (!fence) {
      // A directive applies to the very next block only; prose in between drops it.
      if (current.trim() !== "") pending = undefined;
      continue;
    }
    const [, indent = "", marker = "", language = ""] = fence;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const closing = lines[j] ?? "";
      if (closing.trim().startsWith(marker) && closing.trim().replace(/[`~]/g, "") === "") break;
      body.push(closing.startsWith(indent) ? closing.slice(indent.length) : closing.trimStart());
    }
    if (SHELL_LANGUAGES.has(language)) {
      let directive: Directive;
      try {
        directive = parseDirective(pending?.text ?? "");
      } catch (error) {
        throw new Error(`line ${pending?.line}: ${(error as Error).message}`);
      }
      blocks.push({ line: i + 1, code: `${body.join("\n")}\n`, directive });
    }
    pending = undefined;
    i = j;
  }
  return blocks;
}
