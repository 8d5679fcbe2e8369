/** Machine tokens are `dnsc_<16 hex id>_<64 hex secret>` (api-contract.md: ≥ 256 random bits). */
const TOKEN_PATTERN = /^dnsc_([0-9a-f]{16})_([0-9a-f]{64})$/;

export function formatMachineToken(id: string, secret: string): string {
  return `dnsc_${id}_${secret}`;
}

export function parseMachineToken(credential: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(credential);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : null;
}
