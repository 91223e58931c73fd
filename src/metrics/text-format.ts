import type { TextSink } from "./mapped-sink.js";

/**
 * Writing the Prometheus text format (0.0.4) by hand, byte for byte as prom-client writes it, for
 * the per-account families that are rendered from plain data instead of prom-client's label maps.
 */

/** A label value escaped as the text format requires (backslash, double quote, newline). */
export function escapeLabel(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
    : value;
}

/** A sample value as prom-client writes it: +Inf, -Inf and Nan spelled out. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "Nan";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return `${value}`;
}

/** HELP text escaped as prom-client escapes it (backslash and newline). */
export function escapeHelp(help: string): string {
  return /[\\\n]/.test(help) ? help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n") : help;
}

/** The HELP and TYPE lines that open a family. */
export function familyHeader(name: string, help: string, type: string): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/** The samples `name{account="…"} value` of per-account rows; a row without a value is left out. */
export function perAccountSamples<Row extends { readonly account: string }>(
  out: TextSink,
  name: string,
  rows: readonly Row[],
  value: (row: Row) => number | undefined,
): void {
  for (const row of rows) {
    const v = value(row);
    if (v !== undefined) out.write(`${name}{account="${escapeLabel(row.account)}"} ${v}\n`);
  }
}
