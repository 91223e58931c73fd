import { isIP } from "node:net";
import { MAX_ACCOUNTS } from "./activity.js";
import type { SimulatorOptions } from "./server.js";
import { parseFlagTable, type FlagSpec } from "../config/flag-table.js";

export const TOKEN_ENV = "USEAPI_TOKEN";
export const DEFAULT_LISTEN = "127.0.0.1:9878";

/** A bad flag or environment; the message is one line naming it. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export type SimulatorCliOptions = Required<
  Pick<SimulatorOptions, "token" | "seed" | "accounts" | "idleAccounts" | "host" | "port">
>;

interface SimulatorFlag extends FlagSpec {
  default?: string;
}

/** The simulator's flags; the parser and --help are both made from this table. */
export const SIMULATOR_FLAGS: readonly SimulatorFlag[] = [
  {
    name: "listen",
    type: "string",
    default: DEFAULT_LISTEN,
    help: "Address to listen on: host:port, [ipv6]:port or :port (127.0.0.1).",
  },
  { name: "seed", type: "string", default: "1", help: "Seed of the generated jobs and accounts." },
  {
    name: "accounts",
    type: "string",
    default: "6",
    help: `MiniMax accounts simulated, 1 to ${MAX_ACCOUNTS}.`,
  },
  {
    name: "idle-accounts",
    type: "string",
    default: "1",
    help: "How many of the accounts never run a job.",
  },
  { name: "help", type: "boolean", short: "h", help: "Show this help and exit." },
  { name: "version", type: "boolean", help: "Show the version and exit." },
];

export type SimulatorCommand =
  { kind: "run"; options: SimulatorCliOptions } | { kind: "help" } | { kind: "version" };

/** Like parseSimulatorArgs, and answers --help (-h) and --version before checking the rest. */
export function parseSimulatorCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SimulatorCommand {
  const values = parseFlags(argv);
  if (values["help"] === true) return { kind: "help" };
  if (values["version"] === true) return { kind: "version" };
  return { kind: "run", options: parseSimulatorArgs(argv, env) };
}

/** The --help text, generated from the flag table. */
export function simulatorUsage(name: string): string {
  const lines = [
    `Usage: ${TOKEN_ENV}=<token> ${name} [flags]`,
    "",
    "Imitates the useapi.net MiniMax endpoints the exporter polls; clients must send",
    `"Authorization: Bearer <token>" with the token from ${TOKEN_ENV}.`,
    "",
    "Flags:",
  ];
  for (const f of SIMULATOR_FLAGS) {
    const alias = f.short === undefined ? "" : `-${f.short}, `;
    const value = f.type === "string" ? "=<value>" : "";
    const def = f.default === undefined ? "" : ` (default ${f.default})`;
    lines.push(`  ${alias}--${f.name}${value}`, `      ${f.help}${def}`);
  }
  return lines.join("\n") + "\n";
}

function parseFlags(argv: readonly string[]): Record<string, string | boolean | undefined> {
  try {
    return parseFlagTable(SIMULATOR_FLAGS, argv);
  } catch (error) {
    throw new CliError(
      `${(error as Error).message.split("\n")[0] ?? "bad arguments"} (see --help)`,
    );
  }
}

/** Reads `--listen=host:port --seed=n --accounts=n --idle-accounts=n` and the token from env. */
export function parseSimulatorArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SimulatorCliOptions {
  const flags = parseFlags(argv);
  const text = (name: string): string => {
    const value = flags[name];
    if (typeof value === "string") return value;
    return SIMULATOR_FLAGS.find((f) => f.name === name)?.default ?? "";
  };
  const values = {
    listen: text("listen"),
    seed: text("seed"),
    accounts: text("accounts"),
    "idle-accounts": text("idle-accounts"),
  };
  const token = env[TOKEN_ENV];
  if (token === undefined || token.trim() === "") {
    throw new CliError(`${TOKEN_ENV} is not set; it holds the token clients must send`);
  }
  const seed = integer("--seed", values.seed, 0, 2 ** 32 - 1);
  const accounts = integer("--accounts", values.accounts, 1, MAX_ACCOUNTS);
  const idleAccounts = integer("--idle-accounts", values["idle-accounts"], 0, accounts);
  return { token, seed, accounts, idleAccounts, ...listenAddress(values.listen) };
}

function listenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(value);
  const host = match?.[1] ?? match?.[2] ?? "";
  const hostOk = host === "" || isIP(host) !== 0 || /^[A-Za-z0-9.-]+$/.test(host);
  if (!match || !hostOk) {
    throw new CliError(
      `--listen: expected host:port, [ipv6]:port or :port, got ${JSON.stringify(value)}`,
    );
  }
  return {
    host: host === "" ? "127.0.0.1" : host,
    port: integer("--listen port", match[3], 0, 65_535),
  };
}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min || value > max) {
    throw new CliError(
      `${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}
