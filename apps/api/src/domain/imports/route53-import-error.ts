/**
 * Thrown for malformed input; `path` names the offending part of the export, e.g.
 * "ResourceRecordSets[12].ResourceRecords[0].Value" ("" = the text as a whole). When it is thrown,
 * nothing is imported.
 */
export class Route53ImportError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "Route53ImportError";
  }
}
