import { diffBlocks, isEmptyDiff, plural, type RRsetDiff } from "./diff-lines.js";

/** Blocks shown at most; a whole imported zone can be thousands of rrsets (the counts stay exact). */
const MAX_BLOCKS = 300;

/** "2 added, 1 removed, 1 changed": the counts a diff's summary line gives. */
export function diffSummary(diff: RRsetDiff): string {
  return [
    `${diff.added.length} added`,
    `${diff.removed.length} removed`,
    `${diff.changed.length} changed`,
  ].join(", ");
}

/**
 * A diff of rrsets as record lines: `-` for a record that goes, `+` for one that comes, a space for
 * one that stays. The sign is text (not only a colour), so it reads the same to a screen reader.
 */
export function DiffView({ diff, label }: { diff: RRsetDiff; label: string }) {
  const blocks = diffBlocks(diff);
  return (
    <section className="diff" data-testid="diff" aria-label={label}>
      <p className="diff-summary" data-testid="diff-summary">
        {isEmptyDiff(diff) ? "No differences." : `Record sets: ${diffSummary(diff)}.`}
      </p>
      {blocks.slice(0, MAX_BLOCKS).map((block) => (
        <div key={`${block.kind} ${block.name} ${block.type}`} className={`diff-block ${block.kind}`}>
          <p className="diff-head">
            <code>
              {block.name} {block.type}
            </code>{" "}
            <span className="badge">{block.kind}</span>
          </p>
          <pre className="diff-lines">
            {block.lines.map((l) => (
              <span
                key={`${l.sign}${l.text}`}
                className={l.sign === "+" ? "add" : l.sign === "-" ? "del" : "same"}
              >
                {`${l.sign} ${l.text}\n`}
              </span>
            ))}
          </pre>
        </div>
      ))}
      {blocks.length > MAX_BLOCKS && (
        <p className="hint">…and {plural(blocks.length - MAX_BLOCKS, "more record set")} not shown.</p>
      )}
    </section>
  );
}
