import type { Family, Labels } from "./family.js";

/** Prometheus text format 0.0.4: `\`, newline and `"` escaped in label values. */
function escapeLabelValue(value: string): string {
  return /[\\\n"]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')
    : value;
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return `${value}`;
}

/** `name="value",…` in the family's label order, without braces. */
function labelPairs(labelNames: readonly string[], labels: Labels): string {
  let pairs = "";
  for (const name of labelNames) {
    pairs += `${pairs === "" ? "" : ","}${name}="${escapeLabelValue(labels[name] ?? "")}"`;
  }
  return pairs;
}

/**
 * The one writer of /metrics, text format 0.0.4: prom-client's metrics cost 4–5 × more at the
 * default bounds (goal: the longest event-loop block, bench/bounds.js).
 */
export function writeFamilies(families: Iterable<Family>, out: { add(text: string): void }): void {
  let first = true;
  for (const family of families) {
    const { name, labelNames } = family;
    // A blank line between families, as prom-client writes them.
    if (!first) out.add("\n");
    first = false;
    out.add(`# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} ${family.type}\n`);
    if (family.type !== "histogram") {
      family.samples((labels, value) => {
        const pairs = labelPairs(labelNames, labels);
        out.add(`${name}${pairs === "" ? "" : `{${pairs}}`} ${formatValue(value)}\n`);
      });
      continue;
    }
    const bounds = family.buckets.map((bound) => `${name}_bucket{le="${formatValue(bound)}"`);
    family.samples((labels, { buckets, sum, count }) => {
      const pairs = labelPairs(labelNames, labels);
      const rest = pairs === "" ? "}" : `,${pairs}}`;
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += buckets[i] ?? 0;
        out.add(`${bounds[i]}${rest} ${cumulative}\n`);
      }
      const braces = pairs === "" ? "" : `{${pairs}}`;
      out.add(`${name}_bucket{le="+Inf"${rest} ${count}\n`);
      out.add(`${name}_sum${braces} ${formatValue(sum)}\n${name}_count${braces} ${count}\n`);
    });
  }
}
