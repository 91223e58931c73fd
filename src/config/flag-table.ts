import { parseArgs } from "node:util";

/** One command-line flag; the parser and the --help text are both made from a table of them. */
export interface FlagSpec {
  name: string;
  type: "string" | "boolean";
  help: string;
  /** A one-letter alias (-h). */
  short?: string;
}

/** The flags of `argv` by name; node's parseArgs errors (unknown flag, stray value) pass through. */
export function parseFlagTable(
  flags: readonly FlagSpec[],
  argv: readonly string[],
): Record<string, string | boolean | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: Object.fromEntries(
      flags.map((f) => [
        f.name,
        { type: f.type, ...(f.short === undefined ? {} : { short: f.short }) },
      ]),
    ),
  });
  return values;
}
