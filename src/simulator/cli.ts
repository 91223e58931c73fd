import { isIP } from "node:net";
import { parseArgs } from "node:util";
import { MAX_ACCOUNTS } from "./activity.js";
import type { SimulatorOptions } from "./server.js";

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

/** Reads `--listen=host:port --seed=n --accounts=n --idle-accounts=n` and the token from env. */
export function parseSimulatorArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SimulatorCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: "string", default: DEFAULT_LISTEN },
        seed: { type: "string", default: "1" },
        accounts: { type: "string", default: "6" },
        "idle-accounts": { type: "string", default: "1" },
      },
    }));
  } catch (error) {
    throw new CliError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
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
