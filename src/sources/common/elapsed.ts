const MM_SS = /^(\d{1,6}):([0-5]\d)$/;
const H_MM_SS = /^(\d{1,4}):([0-5]\d):([0-5]\d)$/;

/** The value of the digit at `i`, or -1. */
function digit(text: string, i: number): number {
  const code = text.charCodeAt(i) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** An upstream `elapsed` in seconds: "mm:ss" (minutes may pass 59, "75:30") or "h:mm:ss". */
export function parseElapsed(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  // Fast path for the documented "mm:ss": one call per job on every poll.
  if (value.length === 5 && value.charCodeAt(2) === 58) {
    const m1 = digit(value, 0);
    const m2 = digit(value, 1);
    const s1 = digit(value, 3);
    const s2 = digit(value, 4);
    if (m1 >= 0 && m2 >= 0 && s1 >= 0 && s1 <= 5 && s2 >= 0) {
      return (m1 * 10 + m2) * 60 + s1 * 10 + s2;
    }
  }
  const text = value.trim();
  let m = MM_SS.exec(text);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = H_MM_SS.exec(text);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return undefined;
}
