const MM_SS = /^(\d{1,6}):([0-5]\d)$/;
const H_MM_SS = /^(\d{1,4}):([0-5]\d):([0-5]\d)$/;

/**
 * Parses an upstream `elapsed` value into seconds: "mm:ss" (minutes may pass 59, "75:30") or
 * "h:mm:ss". Returns undefined for anything else.
 */
export function parseElapsed(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  let m = MM_SS.exec(text);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = H_MM_SS.exec(text);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return undefined;
}
