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

/** `argv`'s flags by name (parseArgs errors pass through); one given twice fails, as in kingpin. */
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
  const names = tokens.flatMap((token) => (token.kind === "option" ? [token.name] : []));
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new ConfigError(`--${twice}`, "given more than once");
  return values;
}
