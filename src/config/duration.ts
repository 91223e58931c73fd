/** Longest delay a Node.js timer holds (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

const PART = /(\d+)(ms|s|m|h|d|w|y)/gy;
const ORDER = ["y", "w", "d", "h", "m", "s", "ms"];
/** Units written, days the largest: "24d" reads at a glance where "3w3d" needs a sum. */
const WRITTEN = ["d", "h", "m", "s", "ms"];

/** Parses a Prometheus duration ("500ms", "15s", "1h30m") into milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  PART.lastIndex = 0;
  let total = 0;
  let last = -1;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = PART.exec(text)) !== null) {
    const [whole, digits, unit] = match as unknown as [string, string, string];
    const rank = ORDER.indexOf(unit);
    if (rank <= last) return undefined; // units must be unique and largest first
    last = rank;
    total += Number(digits) * (UNIT_MS[unit] ?? 0);
    consumed += whole.length;
  }
  if (consumed === 0 || consumed !== text.length || !Number.isSafeInteger(total)) return undefined;
  return total;
}

/** Formats milliseconds as a Prometheus duration, largest units first ("1m30s", "24d20h"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of WRITTEN) {
    const size = UNIT_MS[unit] ?? 1;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
