import { parseArgs } from "node:util";
import { ConfigError } from "./config-error.js";

/** One command-line flag; the parser and the --help text are both made from a table of them. */
export interface FlagSpec {
  name: string;
  type: "string" | "boolean";
  help: string;
  /** A one-letter alias (-h). */
  short?: string;
}

/**
 * The flags of `argv` by name; node's parseArgs errors (unknown flag, stray value) pass through.
 * A flag given twice is refused (a ConfigError), as kingpin refuses a non-repeatable flag: the
 * last one silently winning hides a mistake in a unit file or a compose override.
 */
export function parseFlagTable(
  flags: readonly FlagSpec[],
  argv: readonly string[],
): Record<string, string | boolean | undefined> {
  const { values, tokens } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    tokens: true,
    options: Object.fromEntries(
      flags.map((f) => [
        f.name,
        { type: f.type, ...(f.short === undefined ? {} : { short: f.short }) },
      ]),
    ),
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new ConfigError(`--${token.name}`, "given more than once");
    seen.add(token.name);
  }
  return values;
}
