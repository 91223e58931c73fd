import { makeFifo } from "../fifo.js";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FLAGS, helpText, readCommandLine, type ExporterConfig } from "../../src/cli.js";
import {
  ConfigError,
  configWarnings,
  envName,
  POLL_INTERVAL_FLOOR_MS,
} from "../../src/config/config.js";
import { quoted } from "../../src/config/config-error.js";
import { formatDuration, MAX_TIMER_MS } from "../../src/config/duration.js";

const TOKEN = "user:1234-abcdefghijklmnopqrstuv";
const dir = mkdtempSync(join(tmpdir(), "config-test-"));
const tokenFile = join(dir, "token");
writeFileSync(tokenFile, `  ${TOKEN}\n`);
const emptyFile = join(dir, "empty");
writeFileSync(emptyFile, "\n");
const shortTokenFile = join(dir, "short-token");
writeFileSync(shortTokenFile, "abc1234\n");

function run(
  argv: string[],
  env: Record<string, string> = { USEAPI_TOKEN: TOKEN },
): ExporterConfig {
  const command = readCommandLine({ argv, env });
  if (command.kind !== "run") throw new Error(`expected a run command, got ${command.kind}`);
  return command.config;
}

function failure(argv: string[], env: Record<string, string> = { USEAPI_TOKEN: TOKEN }): string {
  try {
    readCommandLine({ argv, env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

/** A source's interval as its module read it from the flags; undefined when it is off. */
function intervalMs(config: ExporterConfig, source: string): number | undefined {
  const seconds = config.sources.find((s) => s.module.name === source)?.settings["intervalSeconds"];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

describe("loadConfig", () => {
  it("fills the documented defaults", () => {
    const config = run([]);
    expect(Object.fromEntries(config.sources.map((s) => [s.module.name, s.settings]))).toEqual({
      jobs: { intervalSeconds: 15 },
      accounts: { intervalSeconds: 300 },
      job_status: { concurrency: 2, ratePerSecond: 2 },
      scheduler: { intervalSeconds: 15 },
      subscription: { intervalSeconds: 300 },
      credits: { intervalSeconds: 300, concurrency: 2 },
      usage: { intervalSeconds: 300 },
    });
    expect(config).toEqual({
      listen: { host: undefined, port: 9877 },
      telemetryPath: "/metrics",
      baseUrl: "https://api.useapi.net",
      token: TOKEN,
      tokenFile: undefined,
      web: undefined,
      maxRequests: 40,
      pollIntervalMs: 15_000,
      pollTimeoutMs: 10_000,
      staleAfterMs: 75_000,
      maxBackoffMs: 300_000,
      maxResponseBytes: 4 * 1024 * 1024,
      maxAccounts: 1_000,
      logLevel: "info",
      logFormat: "json",
      demo: false,
      sources: config.sources,
    });
  });

  it("reads flags in both --name=value and --name value forms", () => {
    const config = run([
      "--web.listen-address=127.0.0.1:9100",
      "--poll.interval",
      "30s",
      "--poll.timeout=500ms",
      "--useapi.base-url=http://localhost:8080/",
      "--useapi.max-response-bytes=512KiB",
      "--log.format=logfmt",
      "--log.level=debug",
    ]);
    expect(config.listen).toEqual({ host: "127.0.0.1", port: 9100 });
    expect(config.pollIntervalMs).toBe(30_000);
    expect(config.pollTimeoutMs).toBe(500);
    expect(config.staleAfterMs).toBe(150_000);
    expect(config.baseUrl).toBe("http://localhost:8080");
    expect(config.maxResponseBytes).toBe(512 * 1024);
    expect(config.logFormat).toBe("logfmt");
    expect(config.logLevel).toBe("debug");
  });

  it("reads every flag from its environment variable, and lets a flag win over it", () => {
    const env = {
      USEAPI_TOKEN: TOKEN,
      MINIMAX_EXPORTER_POLL_INTERVAL: "1m",
      MINIMAX_EXPORTER_WEB_LISTEN_ADDRESS: "[::1]:9999",
      MINIMAX_EXPORTER_DEMO: "true",
    };
    const config = run(["--poll.interval=20s"], env);
    expect(config.pollIntervalMs).toBe(20_000);
    expect(config.listen).toEqual({ host: "::1", port: 9999 });
    expect(config.demo).toBe(true);
    expect(FLAGS.map((f) => envName(f))).toContain("MINIMAX_EXPORTER_USEAPI_TOKEN_FILE");
  });

  it("reads the token from a file and trims whitespace and the trailing newline", () => {
    expect(run([`--useapi.token-file=${tokenFile}`], {}).token).toBe(TOKEN);
  });

  it("trims the token from the environment too", () => {
    expect(run([], { USEAPI_TOKEN: `${TOKEN}\n` }).token).toBe(TOKEN);
  });

  it("runs without a token in demo mode", () => {
    expect(run(["--demo"], {}).token).toBeUndefined();
  });

  it("answers --help and --version before checking anything else", () => {
    expect(readCommandLine({ argv: ["--help", "--poll.interval=bad"], env: {} })).toEqual({
      kind: "help",
    });
    expect(readCommandLine({ argv: ["--version"], env: {} })).toEqual({ kind: "version" });
  });

  it("lists every flag with its environment variable in the help text", () => {
    const text = helpText("useapi-minimax-exporter");
    for (const flag of FLAGS) {
      expect(text).toContain(`--${flag.name}`);
      expect(text).toContain(envName(flag) ?? `--${flag.name}`);
    }
  });

  it.each<[string, string[], Record<string, string> | undefined, string]>([
    [
      "an unknown flag",
      ["--poll.intervall=15s"],
      undefined,
      "--poll.intervall: unknown flag (see --help)",
    ],
    [
      "a positional argument",
      ["15s"],
      undefined,
      "15s: unexpected argument; flags take the form --name=value",
    ],
    [
      "a flag without its value",
      ["--poll.interval"],
      undefined,
      "--poll.interval: needs a value (--name=value)",
    ],
    [
      "a bad duration",
      ["--poll.interval=15"],
      undefined,
      '--poll.interval: "15" is not a duration (examples: 500ms, 15s, 2m)',
    ],
    [
      "a zero interval",
      ["--poll.interval=0s"],
      undefined,
      '--poll.interval: "0s" must be greater than zero',
    ],
    [
      "a timeout not shorter than the interval",
      ["--poll.interval=10s", "--poll.timeout=10s"],
      undefined,
      "--poll.timeout: 10s must be shorter than --poll.interval (10s)",
    ],
    [
      "a staleness window shorter than the interval",
      ["--poll.stale-after=5s"],
      undefined,
      "--poll.stale-after: 5s must not be shorter than --poll.interval (15s)",
    ],
    [
      "a backoff cap shorter than the interval",
      ["--poll.max-backoff=1s"],
      undefined,
      "--poll.max-backoff: 1s must not be shorter than --poll.interval (15s)",
    ],
    [
      "a URL that does not parse",
      ["--useapi.base-url=api.useapi.net"],
      undefined,
      '--useapi.base-url: "api.useapi.net" is not a valid URL',
    ],
    [
      "a URL of another scheme",
      ["--useapi.base-url=ftp://x"],
      undefined,
      '--useapi.base-url: scheme "ftp:" is not http: or https:',
    ],
    [
      "a URL with credentials",
      ["--useapi.base-url=https://me:secret@x"],
      undefined,
      "--useapi.base-url: must not contain credentials; the token is read from a file",
    ],
    [
      "an unreadable token file",
      ["--useapi.token-file=/nonexistent/token"],
      {},
      '--useapi.token-file: cannot read "/nonexistent/token" (ENOENT)',
    ],
    [
      "an empty token file",
      [`--useapi.token-file=${emptyFile}`],
      {},
      `--useapi.token-file: "${emptyFile}" is empty`,
    ],
    [
      "a token file and the variable together",
      [`--useapi.token-file=${tokenFile}`],
      { USEAPI_TOKEN: TOKEN },
      "--useapi.token-file: is set together with USEAPI_TOKEN; set only one of them",
    ],
    [
      "no token outside demo mode",
      [],
      {},
      "--useapi.token-file: no token: set USEAPI_TOKEN or --useapi.token-file (or use --demo)",
    ],
    [
      "a token shorter than 8 characters",
      [],
      { USEAPI_TOKEN: "abc1234" },
      "USEAPI_TOKEN: is shorter than 8 characters; useapi.net tokens are longer",
    ],
    [
      "a token file holding a token shorter than 8 characters",
      [`--useapi.token-file=${shortTokenFile}`],
      {},
      `--useapi.token-file: "${shortTokenFile}": is shorter than 8 characters; useapi.net tokens are longer`,
    ],
    [
      "a token with inner whitespace",
      [],
      { USEAPI_TOKEN: "user:1 2" },
      "USEAPI_TOKEN: token must be visible ASCII characters only (no spaces, control or non-ASCII characters)",
    ],
    [
      "a listen address without a port",
      ["--web.listen-address=localhost"],
      undefined,
      '--web.listen-address: "localhost" is not of the form host:port or :port',
    ],
    [
      "a port out of range",
      ["--web.listen-address=:70000"],
      undefined,
      "--web.listen-address: port 70000 is out of range (0-65535)",
    ],
    [
      "a bracketed host that is not IPv6",
      ["--web.listen-address=[localhost]:80"],
      undefined,
      '--web.listen-address: "localhost" is not an IPv6 address',
    ],
    [
      "a telemetry path without a slash",
      ["--web.telemetry-path=metrics"],
      undefined,
      '--web.telemetry-path: "metrics" must start with / and contain only URL path characters',
    ],
    [
      "the root as telemetry path",
      ["--web.telemetry-path=/"],
      undefined,
      '--web.telemetry-path: "/" is reserved for the landing page or health endpoints',
    ],
    [
      "a bad log level",
      ["--log.level=verbose"],
      undefined,
      '--log.level: "verbose" is not one of debug, info, warn, error',
    ],
    [
      "a bad log format",
      ["--log.format=text"],
      undefined,
      '--log.format: "text" is not one of json, logfmt',
    ],
    [
      "a bad size",
      ["--useapi.max-response-bytes=4MB"],
      undefined,
      '--useapi.max-response-bytes: "4MB" is not a size of at least 1024 bytes (examples: 4194304, 512KiB, 4MiB)',
    ],
    [
      "a bad boolean in the environment",
      [],
      { USEAPI_TOKEN: TOKEN, MINIMAX_EXPORTER_DEMO: "yes" },
      'MINIMAX_EXPORTER_DEMO: "yes" is not a boolean (true or false)',
    ],
    ["a value given to a boolean flag", ["--demo=true"], undefined, "--demo: takes no value"],
    ["a value given to --help", ["--help=false"], undefined, "--help: takes no value"],
    ["a value given to -h", ["-h=1"], undefined, "-h: takes no value"],
    [
      "a long flag with one dash",
      ["-version"],
      undefined,
      "-version: unknown flag; long flags take two dashes (--version)",
    ],
    ["an unknown group of short flags", ["-hx"], undefined, "-hx: unknown flag (see --help)"],
    [
      "a flag given twice",
      ["--poll.interval=1s", "--poll.interval=2s"],
      undefined,
      "--poll.interval: given more than once",
    ],
    [
      "a flag given twice in both forms",
      ["--poll.interval", "1s", "--poll.interval=2s"],
      undefined,
      "--poll.interval: given more than once",
    ],
    ["a boolean flag given twice", ["--demo", "--demo"], undefined, "--demo: given more than once"],
    ["-h and --help together", ["-h", "--help"], undefined, "--help: given more than once"],
  ])("rejects %s with one line naming the flag", (_name, argv, env, message) => {
    const text = failure(argv, env);
    expect(text).toBe(message);
    expect(text).not.toContain("\n");
  });

  it("never puts the token into an error message", () => {
    const secret = "user:9999-secretsecretsecret x";
    expect(failure([], { USEAPI_TOKEN: secret })).not.toContain("secretsecret");
  });

  it("refuses the token given as an argument without echoing it", () => {
    expect(failure([TOKEN])).toBe(
      "unexpected argument: looks like a useapi.net token (not shown); set USEAPI_TOKEN or --useapi.token-file instead",
    );
  });

  it("hides a token pasted into a flag's name or value", () => {
    const secret = "user:9999-secretsecretsecret";
    for (const argv of [
      [`--poll.interval=${secret}`],
      [`--${secret}`],
      [`--log.level=${secret}`],
    ]) {
      const text = failure(argv);
      expect(text).not.toContain("secretsecret");
      expect(text).toContain("<a useapi.net token, not shown>");
    }
  });
});

describe("a poll interval below the floor", () => {
  it(`is taken, with one warning, below ${POLL_INTERVAL_FLOOR_MS} ms`, () => {
    expect(POLL_INTERVAL_FLOOR_MS).toBe(1000);
    const config = run(["--poll.interval=100ms"]);
    expect(config.pollIntervalMs).toBe(100);
    expect(configWarnings(config)).toEqual([
      "--poll.interval 100ms is shorter than 1s: every poll spends useapi.net requests; 15s is the default",
    ]);
  });

  it("warns of nothing at the floor and at the defaults", () => {
    expect(configWarnings(run(["--poll.interval=1s"]))).toEqual([]);
    expect(configWarnings(run([]))).toEqual([]);
  });

  it("is documented with the floor in docs/flags.md", () => {
    const doc = readFileSync(new URL("../../docs/flags.md", import.meta.url), "utf8");
    expect(doc).toContain("below 1 s");
  });
});

/** Every flag that takes a duration; the last test below proves no other flag accepts one. */
const DURATION_FLAGS = [
  "poll.interval",
  "poll.timeout",
  "poll.stale-after",
  "poll.max-backoff",
  "accounts.interval",
  "scheduler.interval",
  "subscription.interval",
  "credits.interval",
  "usage.interval",
] as const;
const LONGEST = "24d20h31m23s647ms";
const TOO_LONG = "24d20h31m23s648ms";

describe("durations a timer cannot hold", () => {
  it("spells the longest timer as the longest accepted duration, in days as the docs do", () => {
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
    expect(formatDuration(MAX_TIMER_MS)).toBe(LONGEST);
    const doc = readFileSync(new URL("../../docs/flags.md", import.meta.url), "utf8");
    expect(doc).toContain(`at most \`${LONGEST}\``);
  });

  it.each(DURATION_FLAGS.flatMap((flag) => [[flag, "30d"] as const, [flag, TOO_LONG] as const]))(
    "refuses --%s=%s with one line naming the flag",
    (flag, value) => {
      expect(failure([`--${flag}=${value}`])).toBe(
        `--${flag}: "${value}" is longer than ${LONGEST} (24.8 days), the longest wait a timer can hold`,
      );
    },
  );

  it.each(DURATION_FLAGS.map((flag) => [flag]))(
    "names the variable when --%s's too long value came from the environment",
    (flag) => {
      const variable = envName({ name: flag }) ?? "";
      expect(failure([], { USEAPI_TOKEN: TOKEN, [variable]: "30d" })).toBe(
        `${variable}: "30d" is longer than ${LONGEST} (24.8 days), the longest wait a timer can hold`,
      );
    },
  );

  it("accepts the longest duration a timer holds, and caps the derived staleness window there", () => {
    const config = run([
      `--poll.interval=${LONGEST}`,
      `--poll.max-backoff=${LONGEST}`,
      `--accounts.interval=${LONGEST}`,
    ]);
    expect(config.pollIntervalMs).toBe(MAX_TIMER_MS);
    expect(config.maxBackoffMs).toBe(MAX_TIMER_MS);
    expect(intervalMs(config, "accounts")).toBe(MAX_TIMER_MS);
    expect(config.staleAfterMs).toBe(MAX_TIMER_MS);
  });

  it("derives the backoff cap when it is not set: 5m, or the interval when that is longer", () => {
    expect(run([]).maxBackoffMs).toBe(300_000);
    expect(run(["--poll.interval=1m"]).maxBackoffMs).toBe(300_000);
    expect(run(["--poll.interval=24d"]).maxBackoffMs).toBe(24 * 86_400_000);
    expect(run(["--poll.interval=24d", "--poll.max-backoff=24d"]).maxBackoffMs).toBe(
      24 * 86_400_000,
    );
    expect(failure(["--poll.interval=24d", "--poll.max-backoff=5m"])).toBe(
      "--poll.max-backoff: 5m must not be shorter than --poll.interval (24d)",
    );
    expect(
      failure(["--poll.interval=10m"], {
        USEAPI_TOKEN: TOKEN,
        MINIMAX_EXPORTER_POLL_MAX_BACKOFF: "5m",
      }),
    ).toBe("MINIMAX_EXPORTER_POLL_MAX_BACKOFF: 5m must not be shorter than --poll.interval (10m)");
  });

  it("derives a staleness window of five intervals when that fits a timer", () => {
    expect(run(["--poll.interval=4d", "--poll.max-backoff=4d"]).staleAfterMs).toBe(20 * 86_400_000);
    expect(run(["--poll.interval=5d", "--poll.max-backoff=5d"]).staleAfterMs).toBe(MAX_TIMER_MS);
  });

  it("knows every flag that takes a duration: no other flag accepts one", () => {
    const others = FLAGS.filter(
      (f) => f.type === "string" && !(DURATION_FLAGS as readonly string[]).includes(f.name),
    );
    expect(others.length).toBeGreaterThan(5);
    for (const flag of others) {
      expect(
        () => readCommandLine({ argv: [`--${flag.name}=1h`], env: { USEAPI_TOKEN: TOKEN } }),
        flag.name,
      ).toThrow(ConfigError);
    }
  });
});

describe("the poll timeout when it is not set", () => {
  it.each([
    ["15s", 10_000],
    ["1h", 10_000],
    ["12s", 8_000],
    ["5s", 3_000],
    ["2s", 1_000],
    ["1s", 666],
    ["2ms", 1],
  ])("derives it from --poll.interval=%s as %i ms, shorter than the interval", (interval, ms) => {
    const config = run([
      `--poll.interval=${interval}`,
      "--poll.max-backoff=1h",
      "--accounts.interval=0",
    ]);
    expect(config.pollTimeoutMs).toBe(ms);
    expect(config.pollTimeoutMs).toBeLessThan(config.pollIntervalMs);
  });

  it("refuses an interval too short for any timeout, naming the interval", () => {
    expect(failure(["--poll.interval=1ms", "--accounts.interval=0"])).toBe(
      "--poll.interval: 1ms is too short to leave time for a poll (at least 2ms)",
    );
  });

  it("still refuses an explicitly set timeout that is not shorter than the interval", () => {
    expect(failure(["--poll.interval=5s", "--poll.timeout=5s"])).toBe(
      "--poll.timeout: 5s must be shorter than --poll.interval (5s)",
    );
    expect(
      failure(["--poll.interval=5s"], { USEAPI_TOKEN: TOKEN, MINIMAX_EXPORTER_POLL_TIMEOUT: "6s" }),
    ).toBe("MINIMAX_EXPORTER_POLL_TIMEOUT: 6s must be shorter than --poll.interval (5s)");
  });

  it("polls the scheduler at the jobs interval unless told otherwise, and 0 turns it off", () => {
    expect(intervalMs(run(["--poll.interval=40s"]), "scheduler")).toBe(40_000);
    expect(intervalMs(run(["--poll.interval=40s", "--scheduler.interval=2m"]), "scheduler")).toBe(
      120_000,
    );
    expect(intervalMs(run(["--scheduler.interval=0"]), "scheduler")).toBeUndefined();
  });

  it("refuses a scheduler interval not longer than the poll timeout, naming the flag", () => {
    expect(failure(["--poll.interval=15s", "--scheduler.interval=5s"])).toBe(
      "--scheduler.interval: 5s must be longer than --poll.timeout (10s), or 0 for off",
    );
    expect(failure(["--scheduler.interval=often"])).toMatch(/^--scheduler\.interval: /);
  });

  it("spreads the credits calls over --credits.interval, 0 turns them off, at most 64 at once", () => {
    expect(intervalMs(run(["--credits.interval=1h"]), "credits")).toBe(3_600_000);
    expect(intervalMs(run(["--credits.interval=0"]), "credits")).toBeUndefined();
    expect(failure(["--credits.interval=5s"])).toBe(
      "--credits.interval: 5s must be longer than --poll.timeout (10s), or 0 for off",
    );
    expect(failure(["--credits.concurrency=0"])).toBe(
      '--credits.concurrency: "0" is not a whole number from 1 to 64',
    );
    expect(failure(["--credits.concurrency=65"])).toMatch(/^--credits\.concurrency: /);
  });

  it("derives the timeout before checking the accounts interval against it", () => {
    expect(intervalMs(run(["--poll.interval=3s", "--accounts.interval=5s"]), "accounts")).toBe(
      5_000,
    );
  });
});

describe("errors name where the value came from", () => {
  it.each([
    [
      "MINIMAX_EXPORTER_POLL_INTERVAL",
      "soon",
      '"soon" is not a duration (examples: 500ms, 15s, 2m)',
    ],
    [
      "MINIMAX_EXPORTER_WEB_LISTEN_ADDRESS",
      "localhost",
      '"localhost" is not of the form host:port or :port',
    ],
    ["MINIMAX_EXPORTER_LOG_LEVEL", "loud", '"loud" is not one of debug, info, warn, error'],
    ["MINIMAX_EXPORTER_JOBS_LOOKUP_RATE", "0", '"0" is not a whole number from 1 to 100'],
    ["MINIMAX_EXPORTER_USEAPI_BASE_URL", "nowhere", '"nowhere" is not a valid URL'],
  ])("reports a bad %s under the variable's name", (variable, value, problem) => {
    expect(failure([], { USEAPI_TOKEN: TOKEN, [variable]: value })).toBe(`${variable}: ${problem}`);
  });

  it("reports the flag when the flag is given, even if the variable is set too", () => {
    expect(
      failure(["--poll.interval=soon"], {
        USEAPI_TOKEN: TOKEN,
        MINIMAX_EXPORTER_POLL_INTERVAL: "1m",
      }),
    ).toBe('--poll.interval: "soon" is not a duration (examples: 500ms, 15s, 2m)');
  });

  it("names the token-file variable when the path came from the environment", () => {
    expect(failure([], { MINIMAX_EXPORTER_USEAPI_TOKEN_FILE: "/nonexistent/token" })).toBe(
      'MINIMAX_EXPORTER_USEAPI_TOKEN_FILE: cannot read "/nonexistent/token" (ENOENT)',
    );
  });
});

describe("-h", () => {
  it("is an alias of --help, and the help text says so", () => {
    expect(readCommandLine({ argv: ["-h"], env: {} })).toEqual({ kind: "help" });
    expect(helpText("x")).toContain("-h, --help");
  });
});

describe("the token file and the token value", () => {
  const files = mkdtempSync(join(tmpdir(), "config-token-"));

  it("refuses a FIFO at once instead of hanging startup", () => {
    const fifo = join(files, "fifo");
    makeFifo(fifo);
    expect(failure([`--useapi.token-file=${fifo}`], {})).toBe(
      `--useapi.token-file: "${fifo}" is not a regular file`,
    );
  });

  it("refuses a link to /dev/zero without reading it", () => {
    const link = join(files, "zero");
    symlinkSync("/dev/zero", link);
    expect(failure([`--useapi.token-file=${link}`], {})).toBe(
      `--useapi.token-file: "${link}" is not a regular file`,
    );
  });

  it("refuses a 20 MB file as larger than the 4 KiB bound", () => {
    const big = join(files, "big");
    writeFileSync(big, "a".repeat(20 * 1024 * 1024));
    expect(failure([`--useapi.token-file=${big}`], {})).toBe(
      `--useapi.token-file: "${big}" is larger than 4096 bytes`,
    );
  });

  it.each([
    ["non-ASCII letters", "t\u00f6k\u20acn"],
    ["a control character", "tok\u0001en"],
    ["a tab inside", "tok\ten"],
    ["DEL", "tok\u007fen"],
  ])("refuses a token with %s, naming its source and never showing it", (_name, token) => {
    const file = join(files, `bad-${token.length}-${token.codePointAt(3)}`);
    writeFileSync(file, `${token}\n`);
    const fromFile = failure([`--useapi.token-file=${file}`], {});
    expect(fromFile).toMatch(/^--useapi\.token-file: .* token must be visible ASCII/);
    const fromEnv = failure([], { USEAPI_TOKEN: token });
    expect(fromEnv).toMatch(/^USEAPI_TOKEN: token must be visible ASCII/);
    for (const message of [fromFile, fromEnv]) expect(message).not.toContain(token);
  });
});

describe("a value quoted in a flag error", () => {
  it("is escaped, cut to 64 characters and has its tokens hidden, before the message is made", () => {
    expect(quoted('1s\n{"level":"error"}\u001b[31m')).toBe('"1s\\x0a{"level":"error"}\\x1b[31m"');
    expect(quoted("x".repeat(3000))).toBe(`"${"x".repeat(64)}…"`);
    expect(quoted(`1s\n${TOKEN}`)).toBe('"1s\\x0a<a useapi.net token, not shown>"');
  });

  it("cannot make a message of two lines or over 512 characters, even unquoted", () => {
    const message = new ConfigError("--x", `${"y".repeat(3000)}\n{"level":"error"}`).message;
    expect(message).not.toContain("\n");
    expect(message.length).toBeLessThanOrEqual(513);
    expect(message.endsWith("…")).toBe(true);
  });
});
