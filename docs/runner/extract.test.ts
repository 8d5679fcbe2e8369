import { describe, expect, it } from "vitest";
import { extractShellBlocks, parseDirective } from "./extract.js";

describe("extractShellBlocks", () => {
  it("takes indented blocks in list items, their directive, and only shell languages", () => {
    const markdown = [
      "1. Start:",
      "   <!-- run: background ; ready=http://127.0.0.1:8080/api/health ; timeout=600 -->",
      "   ```sh",
      "   pnpm start",
      "   ```",
      "```ts",
      "const x = 1;",
      "```",
      "<!-- run: skip (needs AWS) -->",
      "```bash",
      "aws s3 ls",
      "```",
      "<!-- run: expect=^ok$ -->",
      "Prose between the comment and the block drops the directive.",
      "```sh",
      "echo ok",
      "```",
    ].join("\n");
    const blocks = extractShellBlocks(markdown);
    expect(blocks.map((b) => [b.line, b.code])).toEqual([
      [3, "pnpm start\n"],
      [10, "aws s3 ls\n"],
      [15, "echo ok\n"],
    ]);
    expect(blocks[0]?.directive).toMatchObject({
      background: true,
      ready: ["http://127.0.0.1:8080/api/health"],
      readyTimeoutSeconds: 600,
    });
    expect(blocks[1]?.directive.skip).toBe("needs AWS");
    expect(blocks[2]?.directive).toMatchObject({ background: false, ready: [], expect: [] });
  });
});

describe("parseDirective", () => {
  it("keeps every expect and ready", () => {
    const d = parseDirective(" ready=tcp:127.0.0.2:53 ; ready=tcp:127.0.0.3:53 ; expect=a;b ; expect=^c$ ");
    expect(d.ready).toEqual(["tcp:127.0.0.2:53", "tcp:127.0.0.3:53"]);
    expect(d.expect.map(String)).toEqual(["/a;b/m", "/^c$/m"]);
  });

  it("refuses a skip without a reason and unknown parts", () => {
    expect(() => parseDirective("skip")).toThrow(/skip needs a reason/);
    expect(() => parseDirective("backgrund")).toThrow(/unknown run directive part/);
  });
});
