import { isIP } from "node:net";
import { ConfigError, quoted, shownText } from "./config-error.js";
import { formatDuration, MAX_TIMER_MS } from "./duration.js";
import { looksLikeToken, readTokenFile, tokenProblem } from "./token-file.js";
import type { LogFormat, LogLevel } from "../logging/logger.js";
import { loadWebConfig, type WebConfig } from "./web-config.js";
import { parseFlagTable } from "./flag-table.js";
import {
  DEFAULT_LIMITS,
  type CommonSettings,
  type Enabled,
  type ExporterFlag,
  type FlagOwner,
  type FlagReader,
} from "./flag-reader.js";
import { parseBool, parseBytes, parseChoice, parseCount, parsePositiveDuration } from "./values.js";

/** The configuration: poll durations and the parts (`M`, source modules) its flags turned on. */
export interface Config<M extends FlagOwner = FlagOwner> extends Omit<CommonSettings, "limits"> {
  listen: { host: string | undefined; port: number };
  telemetryPath: string;
  baseUrl: string;
  /** Undefined only in demo mode, where the simulator supplies one. */
  token: string | undefined;
  /** Set when the token came from --useapi.token-file, which is then re-read when it changes. */
  tokenFile: string | undefined;
  /** From --web.config.file: TLS and basic auth; undefined serves plain HTTP to anyone. */
  web: WebConfig | undefined;
  /** Concurrent /metrics and landing-page requests served; more get 503. */
  maxRequests: number;
  maxResponseBytes: number;
  /** --useapi.max-accounts, which the sources also get (FlagReader's limits). */
  maxAccounts: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  demo: boolean;
  /** The parts turned on (source modules), in the order given, with their own settings. */
  sources: readonly Enabled<M>[];
}

export type CliCommand<M extends FlagOwner = FlagOwner> =
  { kind: "run"; config: Config<M> } | { kind: "help" } | { kind: "version" };

export { ConfigError };

export const TOKEN_ENV = "USEAPI_TOKEN";
export const ENV_PREFIX = "MINIMAX_EXPORTER_";

/** String flags from a table of name: [default, help]. */
const stringFlags = (table: Record<string, [string, string]>): ExporterFlag[] =>
  Object.entries(table).map(([name, [value, help]]) => ({
    name,
    type: "string",
    default: value,
    help,
  }));

/** The common flags before the parts' own flags in --help: web, upstream, polls. */
const LEADING_FLAGS = stringFlags({
  "web.listen-address": [":9877", "Address to listen on: host:port, :port or [ipv6]:port."],
  "web.config.file": [
    "",
    "exporter-toolkit web configuration file (TLS, client certificates, basic auth).",
  ],
  "web.max-requests": ["40", "Concurrent /metrics and landing-page requests served; more get 503."],
  "web.telemetry-path": ["/metrics", "Path under which to expose metrics."],
  "useapi.base-url": ["https://api.useapi.net", "Base URL of the useapi.net API."],
  "useapi.token-file": [
    "",
    `File holding the useapi.net API token (alternative to the ${TOKEN_ENV} variable).`,
  ],
  "useapi.max-response-bytes": [
    "4MiB",
    "Largest upstream response body read; bytes, or with a KiB/MiB suffix.",
  ],
  "useapi.max-accounts": [
    String(DEFAULT_LIMITS.maxAccounts),
    "Most accounts one upstream answer may list; more are refused (limit_exceeded).",
  ],
  "useapi.max-jobs": [
    String(DEFAULT_LIMITS.maxJobs),
    "Most running jobs one upstream answer may list; more are refused (limit_exceeded).",
  ],
  "poll.interval": ["15s", "Time between upstream polls."],
  "poll.timeout": [
    "",
    "Timeout of one upstream poll; below the interval (default 2/3 of it, at most 10s).",
  ],
  "poll.stale-after": [
    "",
    "Drop per-account series when no poll succeeded for this long (default 5 intervals).",
  ],
  "poll.max-backoff": [
    "",
    "Longest wait between polls while failing (default 5m, or the poll interval if longer).",
  ],
});

const boolean = { type: "boolean", default: "false" } as const;

/** The common flags after the parts' own flags in --help: logging, demo, help and version. */
const TRAILING_FLAGS: readonly ExporterFlag[] = [
  ...stringFlags({
    "log.level": ["info", "Log level: debug, info, warn or error."],
    "log.format": ["json", "Log format: json or logfmt."],
  }),
  {
    name: "demo",
    ...boolean,
    help: "Poll a built-in simulator of the upstream instead of useapi.net (no token needed).",
  },
  { name: "help", ...boolean, env: false, help: "Show this help and exit.", short: "h" },
  { name: "version", ...boolean, env: false, help: "Show the version and exit." },
];

/** Every flag, in --help order: the common ones with the parts' own flags (`partFlags`) amid. */
export function exporterFlags(partFlags: readonly ExporterFlag[]): readonly ExporterFlag[] {
  return [...LEADING_FLAGS, ...partFlags, ...TRAILING_FLAGS];
}

/** The environment variable read for a flag, or undefined for command-line-only flags. */
export function envName(flag: Pick<ExporterFlag, "name" | "env">): string | undefined {
  if (flag.env === false) return undefined;
  return ENV_PREFIX + flag.name.toUpperCase().replace(/[.-]/g, "_");
}

export interface ConfigSources<M extends FlagOwner = FlagOwner> {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** The parts with flags of their own (the source modules), handed in by the wiring. */
  modules: readonly M[];
}

/** Longest --poll.timeout derived from the interval when it is not set. */
const DEFAULT_POLL_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

/** Turns command-line flags and environment variables into a checked configuration. */
export function loadConfig<M extends FlagOwner>({
  argv,
  env,
  modules,
}: ConfigSources<M>): CliCommand<M> {
  const flags = new Map(exporterFlags(modules.flatMap((m) => m.flags)).map((f) => [f.name, f]));
  const values = parseFlags([...flags.values()], argv);
  const envOf = (name: string) => envName(flags.get(name) ?? { name, env: false });
  const fromEnv = (name: string): string | undefined => {
    const variable = envOf(name);
    const value = variable === undefined ? undefined : env[variable];
    return value === "" ? undefined : value;
  };
  const raw = (name: string): string =>
    values[name] === undefined
      ? (fromEnv(name) ?? flags.get(name)?.default ?? "")
      : String(values[name]);
  const isSet = (name: string): boolean =>
    values[name] !== undefined || fromEnv(name) !== undefined;
  /** Names the flag, or its variable when the value came from the environment. */
  const label = (name: string): string =>
    values[name] === undefined && fromEnv(name) !== undefined
      ? (envOf(name) ?? `--${name}`)
      : `--${name}`;
  const value = (name: string): [string, string] => [label(name), raw(name)];

  if (parseBool(...value("help"))) return { kind: "help" };
  if (parseBool(...value("version"))) return { kind: "version" };

  const demo = parseBool(...value("demo"));
  const pollIntervalMs = parsePositiveDuration(...value("poll.interval"));
  /** A --poll.* duration, `fallback` when unset, checked against the interval. */
  const pollDuration = (name: string, mustBeShorter: boolean, fallback: () => number): number => {
    const ms = isSet(name) ? parsePositiveDuration(...value(name)) : fallback();
    if (ms < pollIntervalMs !== mustBeShorter) {
      throw new ConfigError(
        label(name),
        `${formatDuration(ms)} must ${mustBeShorter ? "" : "not "}be shorter than --poll.interval (${formatDuration(pollIntervalMs)})`,
      );
    }
    return ms;
  };
  const pollTimeoutMs = pollDuration("poll.timeout", true, () =>
    defaultPollTimeout(label("poll.interval"), pollIntervalMs),
  );
  const staleAfterMs = pollDuration("poll.stale-after", false, () =>
    Math.min(5 * pollIntervalMs, MAX_TIMER_MS),
  );
  const maxBackoffMs = pollDuration("poll.max-backoff", false, () =>
    Math.max(DEFAULT_MAX_BACKOFF_MS, pollIntervalMs),
  );
  const polls = { pollIntervalMs, pollTimeoutMs, staleAfterMs, maxBackoffMs };
  const tokenFile = raw("useapi.token-file");
  const maxAccounts = parseCount(...value("useapi.max-accounts"), 100_000);
  const maxJobs = parseCount(...value("useapi.max-jobs"), 1_000_000);
  const common = { ...polls, limits: { maxAccounts, maxJobs } };
  const reader: FlagReader = { value, isSet, common };

  return {
    kind: "run",
    config: {
      listen: parseListenAddress(...value("web.listen-address")),
      telemetryPath: parseTelemetryPath(...value("web.telemetry-path")),
      baseUrl: parseBaseUrl(...value("useapi.base-url")),
      token: loadToken(label("useapi.token-file"), tokenFile, env[TOKEN_ENV], demo),
      tokenFile: tokenFile === "" ? undefined : tokenFile,
      web: raw("web.config.file") === "" ? undefined : loadWebConfig(raw("web.config.file")),
      maxRequests: parseCount(...value("web.max-requests"), 10_000),
      ...polls,
      maxResponseBytes: parseBytes(...value("useapi.max-response-bytes")),
      maxAccounts,
      logLevel: parseChoice(...value("log.level"), ["debug", "info", "warn", "error"]),
      logFormat: parseChoice(...value("log.format"), ["json", "logfmt"]),
      demo,
      sources: modules.flatMap((module) => {
        const plan = module.configure(reader);
        // What `configure` returned, with its module: Enabled<M> by construction.
        return plan === undefined ? [] : [{ ...plan, module } as Enabled<M>];
      }),
    },
  };
}

/** Shortest --poll.interval without a startup warning: each poll spends upstream requests. */
export const POLL_INTERVAL_FLOOR_MS = 1000;

/** Settings that work but are probably a mistake: one log line each at startup. */
export function configWarnings(config: Config): string[] {
  if (config.pollIntervalMs >= POLL_INTERVAL_FLOOR_MS) return [];
  return [
    `--poll.interval ${formatDuration(config.pollIntervalMs)} is shorter than ${formatDuration(POLL_INTERVAL_FLOOR_MS)}: every poll spends useapi.net requests; 15s is the default`,
  ];
}

/** Two thirds of the interval, in whole seconds from 1.5s on, at most 10s. */
function defaultPollTimeout(intervalLabel: string, intervalMs: number): number {
  const share = (intervalMs * 2) / 3;
  const ms = Math.min(
    DEFAULT_POLL_TIMEOUT_MS,
    share >= 1000 ? Math.floor(share / 1000) * 1000 : Math.floor(share),
  );
  if (ms < 1)
    throw new ConfigError(
      intervalLabel,
      `${formatDuration(intervalMs)} is too short to leave time for a poll (at least 2ms)`,
    );
  return ms;
}

/** Longest stray argument or unknown flag name shown in an error. */
const MAX_SHOWN_ARG = 64;

/** parseFlagTable's flags, its errors from node's parseArgs made ConfigErrors. */
function parseFlags(flags: readonly ExporterFlag[], argv: readonly string[]) {
  try {
    return parseFlagTable(flags, argv);
  } catch (error) {
    throw error instanceof ConfigError ? error : flagSyntaxError(error, flags, argv);
  }
}

function flagSyntaxError(error: unknown, flags: readonly ExporterFlag[], argv: readonly string[]) {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  // node names a flag with an alias as '-h, --help': the long name is the one to show.
  const flag = /'(?:-[^-\s], )?([^' ]+)/.exec(message)?.[1] ?? "flags";
  const shown = shownText(flag.split("=")[0] ?? flag, MAX_SHOWN_ARG);
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      // node reads `-version` as -v -e -r… and blames -v: name the argument and its long flag.
      const group = /^-[^-]$/.test(flag)
        ? argv.find((arg) => /^-[^-]./.test(arg) && arg.includes(flag.slice(1)))
        : undefined;
      if (group === undefined) return new ConfigError(shown, "unknown flag (see --help)");
      const name = group.slice(1).split("=")[0] ?? "";
      const long = flags.find((f) => f.name === name || f.short === name);
      const named = shownText(`-${name}`, MAX_SHOWN_ARG);
      if (long?.short === name) return new ConfigError(named, "takes no value");
      return new ConfigError(
        named,
        long === undefined
          ? "unknown flag (see --help)"
          : `unknown flag; long flags take two dashes (--${name})`,
      );
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      // The token pasted as an argument: refused without being echoed.
      if (looksLikeToken(flag)) {
        return new ConfigError(
          "unexpected argument",
          `looks like a useapi.net token (not shown); set ${TOKEN_ENV} or --useapi.token-file instead`,
        );
      }
      return new ConfigError(shown, "unexpected argument; flags take the form --name=value");
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return new ConfigError(
        shown,
        message.includes("does not take an argument")
          ? "takes no value"
          : "needs a value (--name=value)",
      );
    default:
      return new ConfigError(shown, "invalid flag syntax");
  }
}

function parseListenAddress(flag: string, text: string): Config["listen"] {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!match) throw new ConfigError(flag, `${quoted(text)} is not of the form host:port or :port`);
  const host = match[1] ?? match[2] ?? "";
  const port = Number(match[3]);
  if (port > 65535) throw new ConfigError(flag, `port ${port} is out of range (0-65535)`);
  if (match[1] !== undefined && isIP(host) !== 6) {
    throw new ConfigError(flag, `${quoted(host)} is not an IPv6 address`);
  }
  if (host !== "" && isIP(host) === 0 && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) {
    throw new ConfigError(flag, `${quoted(host)} is not a valid host name or IP address`);
  }
  return { host: host === "" ? undefined : host, port };
}

function parseTelemetryPath(flag: string, text: string): string {
  const fail = (problem: string) => new ConfigError(flag, `${quoted(text)} ${problem}`);
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(text)) {
    throw fail("must start with / and contain only URL path characters");
  }
  if (text === "/" || text.startsWith("/-/")) {
    throw fail("is reserved for the landing page or health endpoints");
  }
  return text;
}

function parseBaseUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(flag, `${quoted(text)} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(flag, `scheme ${quoted(url.protocol)} is not http: or https:`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(flag, "must not contain credentials; the token is read from a file");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigError(flag, "must not contain a query or fragment");
  }
  return url.href.replace(/\/+$/, "");
}

function loadToken(flag: string, tokenFile: string, tokenEnv: string | undefined, demo: boolean) {
  if (tokenFile !== "") {
    if (tokenEnv !== undefined && tokenEnv !== "") {
      throw new ConfigError(flag, `is set together with ${TOKEN_ENV}; set only one of them`);
    }
    const read = readTokenFile(tokenFile);
    if (!read.ok) throw new ConfigError(flag, read.problem);
    return read.token;
  }
  const token = tokenEnv?.trim() ?? "";
  if (token === "") {
    if (demo) return undefined;
    throw new ConfigError(
      "--useapi.token-file",
      `no token: set ${TOKEN_ENV} or --useapi.token-file (or use --demo)`,
    );
  }
  const problem = tokenProblem(token);
  if (problem !== undefined) throw new ConfigError(TOKEN_ENV, problem);
  return token;
}

/** The --help text, generated from the flag table (`exporterFlags`). */
export function usage(name: string, flags: readonly ExporterFlag[]): string {
  const lines = [
    `Usage: ${name} [flags]`,
    "",
    "Flags (most also read from the environment variable shown):",
  ];
  for (const f of flags) {
    const value = f.type === "string" ? "=<value>" : "";
    const alias = f.short === undefined ? "" : `-${f.short}, `;
    const def = f.default === "" || f.type === "boolean" ? "" : ` (default ${f.default})`;
    const variable = envName(f);
    lines.push(
      `  ${alias}--${f.name}${value}`,
      `      ${f.help}${def}${variable ? ` [${variable}]` : ""}`,
    );
  }
  lines.push("", `The token is read from ${TOKEN_ENV} or --useapi.token-file, never from a flag.`);
  return lines.join("\n") + "\n";
}
