import { Fragment } from "react";

/**
 * A record value that a narrow screen may wrap after a space or a label's dot (`mail.` /
 * `example.`), not inside a label; CSS still breaks an over-long token (a TXT blob) as a last resort.
 */
export function RecordValue({ value }: { value: string }) {
  const parts = value.split(/(?<=[.\s])/);
  return (
    <div className="record">
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, never reordered
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </div>
  );
}
