import {
  execFileSync,
  spawn,
  spawnSync,
  type ChildProcessWithoutNullStreams,
} from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { until, within } from "../deadline.js";
import { get, ownSamples, TOKEN } from "../harness.js";
import { logRecords, type LogRecord } from "../log-records.js";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const BASE_ENV = { PATH: process.env["PATH"] ?? "" };

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let running: Running | undefined;
let simulator: Simulator | undefined;
afterEach(async () => {
  running?.child.kill("SIGKILL");
  running = undefined;
  await simulator?.close();
  simulator = undefined;
});

function run(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Running {
  const child = spawn(process.execPath, [...nodeArgs, MAIN, ...args], {
    env: { ...BASE_ENV, ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.setEncoding("utf8").on("data", (d: string) => stdout.push(d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => stderr.push(d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  running = { child, stdout, stderr, exit };
  return running;
}

/** A child process starts Node and loads dist/ before it logs anything. */
const CHILD_WAIT_MS = 10_000;

/** Resolves with the first match of `pattern` in the child's stdout, as soon as it is written. */
function output(proc: Running, pattern: RegExp): Promise<RegExpExecArray> {
  const found = firstFound(proc, (text) => pattern.exec(text) ?? undefined, `${pattern}`);
  return within(found, `the child's stdout to show ${pattern}`, CHILD_WAIT_MS);
}

/** Resolves with the first log record of the child that `pick` picks, as soon as it is written. */
function logged(proc: Running, pick: (r: LogRecord) => boolean, what: string): Promise<LogRecord> {
  const found = firstFound(proc, (text) => logRecords(text).find(pick), what);
  return within(found, `the child to log ${what}`, CHILD_WAIT_MS);
}

function firstFound<T>(proc: Running, find: (stdout: string) => T | undefined, what: string) {
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      const match = find(proc.stdout.join(""));
      if (match === undefined) return false;
      proc.child.stdout.off("data", onData);
      resolve(match);
      return true;
    };
    const onData = () => void check();
    proc.child.stdout.on("data", onData);
    if (check()) return;
    void proc.exit.then(() => {
      if (!check()) {
        reject(
          new Error(
            `exited before ${what}; stdout: ${proc.stdout.join("")} stderr: ${proc.stderr.join("")}`,
          ),
        );
      }
    });
  });
}

/** Waits for the "exporter listening" log line and returns the metrics URL it names. */
async function metricsUrl(proc: Running): Promise<string> {
  const match = await output(proc, /"metrics":"([^"]+)"/);
  return match[1] ?? "";
}

/** Waits for the first successful poll's log line, then reads the metrics once. */
async function untilUp(proc: Running, url: string): Promise<Map<string, number>> {
  await logged(
    proc,
    (r) => r.level === "info" && r.source === "jobs" && r.outcome === "success",
    "the jobs list's polls succeeding",
  );
  const values = ownSamples((await get(url)).body);
  expect(values.get("useapi_minimax_up")).toBe(1);
  return values;
}

/** Signals whose bit is set in the child's SigCgt mask (/proc/<pid>/status), by number. */
function caughtSignals(pid: number): Set<number> {
  const line = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  const mask = BigInt(`0x${line?.[1] ?? "0"}`);
  const caught = new Set<number>();
  for (let n = 1; n <= 64; n++) if ((mask >> BigInt(n - 1)) & 1n) caught.add(n);
  return caught;
}

/**
 * Resolves once the child catches SIGHUP (1), SIGINT (2) and SIGTERM (15). Node catches 2 and
 * 15 itself from bootstrap; SIGHUP is caught only once main.ts has installed all three handlers.
 */
async function handlersInstalled(proc: Running): Promise<void> {
  const pid = proc.child.pid ?? 0;
  await until(() => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`exited first; stderr: ${proc.stderr.join("")}`);
    const caught = caughtSignals(pid);
    return caught.has(1) && caught.has(2) && caught.has(15);
  }, "the child to catch SIGHUP, SIGINT and SIGTERM");
}

describe("the exporter process", () => {
  it("prints its version and exits 0", async () => {
    const proc = run(["--version"]);
    expect(await proc.exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout.join("")).toMatch(/^useapi-minimax-exporter \d+\.\d+\.\d+ \(Node\.js v\d+/);
  });

  it("prints help listing the flags and exits 0", async () => {
    const proc = run(["--help"]);
    expect(await proc.exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout.join("")).toContain("--poll.interval=<value>");
  });

  it.each([
    [["--poll.interval=fast"], {}, '--poll.interval: "fast" is not a duration'],
    [["--bogus"], {}, "--bogus: unknown flag"],
    [["--poll.timeout=20s"], {}, "--poll.timeout: 20s must be shorter than --poll.interval (15s)"],
    [[], { USEAPI_TOKEN: "" }, "--useapi.token-file: no token"],
    [
      ["--useapi.token-file=/nonexistent"],
      { USEAPI_TOKEN: "" },
      "--useapi.token-file: cannot read",
    ],
    [["--web.listen-address=nohost"], {}, "--web.listen-address:"],
  ])("stops with exit code 2 and one line for %j", async (args, env, expected) => {
    const proc = run(args, { USEAPI_TOKEN: TOKEN, ...env });
    expect((await proc.exit).code).toBe(2);
    const lines = proc.stderr.join("").trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`useapi-minimax-exporter: invalid configuration: ${expected}`);
    expect(proc.stdout.join("")).toBe("");
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "polls the upstream, serves metrics, and exits 0 within 5 s on %s",
    async (signal) => {
      simulator = await startSimulator({ token: TOKEN, seed: 3, accounts: 3, idleAccounts: 1 });
      const proc = run(
        [
          `--useapi.base-url=${simulator.url}`,
          "--web.listen-address=127.0.0.1:0",
          "--log.level=debug",
        ],
        { USEAPI_TOKEN: TOKEN },
      );
      const url = await metricsUrl(proc);
      const values = await untilUp(proc, url);
      expect(values.get("useapi_minimax_accounts")).toBe(3);
      simulator.setMode("hang");
      proc.child.kill(signal);
      // Code 0, not 1: it closed before the 5 s shutdown grace ran out.
      expect(await proc.exit).toEqual({ code: 0, signal: null });
      expect(logRecords(proc.stdout.join(""))).toContainEqual(
        expect.objectContaining({ level: "info", signal }),
      );
      const output = proc.stdout.join("") + proc.stderr.join("");
      expect(output).not.toContain(TOKEN.split(":")[1]);
    },
  );

  it("in demo mode serves per-account gauges from the built-in simulator within one interval", async () => {
    const proc = run([
      "--demo",
      "--web.listen-address=127.0.0.1:0",
      "--poll.interval=1s",
      "--poll.timeout=500ms",
    ]);
    const url = await metricsUrl(proc);
    const values = await untilUp(proc, url);
    const executing = [...values.keys()].filter((k) =>
      k.startsWith("useapi_minimax_agent_jobs_executing{account="),
    );
    expect(executing.length).toBe(6); // the built-in simulator's accounts, its default
    proc.child.kill("SIGTERM");
    expect((await proc.exit).code).toBe(0);
  });

  it("exits 1 with one plain line naming the listen address when it is taken", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const proc = run([`--web.listen-address=127.0.0.1:${port}`], { USEAPI_TOKEN: TOKEN });
      expect((await proc.exit).code).toBe(1);
      // Like a configuration error: one line on stderr, not a JSON log line.
      expect(proc.stderr.join("")).toBe(
        `useapi-minimax-exporter: cannot start: --web.listen-address 127.0.0.1:${port}: address already in use\n`,
      );
      expect(proc.stdout.join("")).toBe("");
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("accepts -h as --help", async () => {
    const proc = run(["-h"]);
    expect(await proc.exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout.join("")).toContain("-h, --help");
  });

  it("warns once at startup of a --poll.interval below 1s, and runs", async () => {
    simulator = await startSimulator({ token: TOKEN, seed: 3, accounts: 2, idleAccounts: 0 });
    const proc = run(
      [
        "--poll.interval=100ms",
        "--web.listen-address=127.0.0.1:0",
        `--useapi.base-url=${simulator.url}`,
      ],
      { USEAPI_TOKEN: TOKEN },
    );
    await untilUp(proc, await metricsUrl(proc));
    const warnings = proc.stdout
      .join("")
      .split("\n")
      .filter((line) => line.includes("--poll.interval 100ms is shorter than 1s"));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? "")).toMatchObject({ level: "warn" });
    proc.child.kill("SIGTERM");
    expect((await proc.exit).code).toBe(0);
  });

  it("refuses a flag given twice with exit code 2 and one line", async () => {
    const proc = run(["--poll.interval=15s", "--poll.interval=30s"], { USEAPI_TOKEN: TOKEN });
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toBe(
      "useapi-minimax-exporter: invalid configuration: --poll.interval: given more than once\n",
    );
  });

  it("reports an unexpected error while reading the configuration as one line, exit 2, no stack", async () => {
    // The environment itself throwing: no ConfigError, as a bug in a flag reader would not be one.
    const preload =
      'data:text/javascript,Object.defineProperty(process,"env",{value:new Proxy(process.env,{get(t,k){if(k==="USEAPI_TOKEN")throw new Error("boom\\n    at reader");return Reflect.get(t,k)}})})';
    const proc = run([], { USEAPI_TOKEN: TOKEN }, ["--import", preload]);
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toBe(
      "useapi-minimax-exporter: invalid configuration: unexpected error: Error: boom\n",
    );
  });

  it("starts with --poll.interval=5s alone, deriving the poll timeout", async () => {
    simulator = await startSimulator({ token: TOKEN, seed: 3, accounts: 2, idleAccounts: 0 });
    const proc = run(
      [
        "--poll.interval=5s",
        "--web.listen-address=127.0.0.1:0",
        `--useapi.base-url=${simulator.url}`,
      ],
      { USEAPI_TOKEN: TOKEN },
    );
    await untilUp(proc, await metricsUrl(proc));
    proc.child.kill("SIGTERM");
    expect((await proc.exit).code).toBe(0);
  });
});

describe("flag errors quote a value safely, on one line", () => {
  const PREFIX = "useapi-minimax-exporter: invalid configuration: ";
  /** A value that would print a second, forged log line and colour the terminal if echoed raw. */
  const FORGED = '1s\n{"level":"error","msg":"forged"}\u001b[31m';
  const LONG = "x".repeat(3000);
  /** Each kind of flag error that quotes a value: the arguments and environment for a value. */
  const kinds: [string, (v: string) => string[], (v: string) => Record<string, string>][] = [
    ["a duration", (v) => [`--usage.interval=${v}`], () => ({})],
    ["a duration too long for a timer", (v) => [`--poll.interval=${v.length}d`], () => ({})],
    ["a whole number", (v) => [`--credits.concurrency=${v}`], () => ({})],
    ["a choice", (v) => [`--log.level=${v}`], () => ({})],
    ["a boolean", (v) => [`--jobs.resolve-status=${v}`], () => ({})],
    ["a boolean from the environment", () => [], (v) => ({ MINIMAX_EXPORTER_DEMO: v })],
    ["a size", (v) => [`--useapi.max-response-bytes=${v}`], () => ({})],
    ["a listen address", (v) => [`--web.listen-address=${v}`], () => ({})],
    ["a listen host", (v) => [`--web.listen-address=${v.replace(/\W/g, "_")}x!:80`], () => ({})],
    ["a telemetry path", (v) => [`--web.telemetry-path=${v}`], () => ({})],
    ["a base URL", (v) => [`--useapi.base-url=${v}`], () => ({})],
    ["a base URL's scheme", (v) => [`--useapi.base-url=a${v.replace(/\W/g, "")}:x`], () => ({})],
    [
      "a token file",
      (v) => [`--useapi.token-file=/nonexistent/${v}`],
      () => ({ USEAPI_TOKEN: "" }),
    ],
    ["a web config file", (v) => [`--web.config.file=/nonexistent/${v}`], () => ({})],
    ["an unknown flag", (v) => [`--${v}=1`], () => ({})],
    ["a stray argument", (v) => [v], () => ({})],
  ];
  const values: [string, string][] = [
    ["a newline and ESC", FORGED],
    ["3,000 characters", LONG],
  ];

  it.each(
    kinds.flatMap(([kind, args, env]) =>
      values.map(([what, v]) => [kind, what, args(v), env(v)] as const),
    ),
  )("%s given %s: exit 2, one escaped line of at most 400 bytes", (_kind, _what, args, env) => {
    const result = spawnSync(process.execPath, [MAIN, ...args], {
      env: { ...BASE_ENV, USEAPI_TOKEN: TOKEN, ...env },
      encoding: "utf8",
      timeout: CHILD_WAIT_MS,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    const text = result.stderr;
    expect(text.startsWith(PREFIX)).toBe(true);
    expect(text.indexOf("\n")).toBe(text.length - 1);
    expect(/\p{Cc}/u.test(text.slice(0, -1))).toBe(false);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(400);
    // Where the value is quoted as given, its newline shows escaped.
    if ([...args, ...Object.values(env)].some((a) => a.includes(FORGED))) {
      expect(text).toContain("\\x0a");
    }
  });

  it.each([
    [
      ["--credits.interval=5s"],
      "--credits.interval: 5s must be longer than --poll.timeout (10s), or 0 for off",
    ],
    [
      ["--usage.interval=2s", "--poll.timeout=3s"],
      "--usage.interval: 2s must be longer than --poll.timeout (3s), or 0 for off",
    ],
    [["--poll.timeout=20s"], "--poll.timeout: 20s must be shorter than --poll.interval (15s)"],
    [
      ["--poll.stale-after=10s"],
      "--poll.stale-after: 10s must not be shorter than --poll.interval (15s)",
    ],
    [
      ["--poll.max-backoff=1m", "--poll.interval=2m"],
      "--poll.max-backoff: 1m must not be shorter than --poll.interval (2m)",
    ],
  ])("names both flags and both values of a relation error: %j", (args, message) => {
    const result = spawnSync(process.execPath, [MAIN, ...args], {
      env: { ...BASE_ENV, USEAPI_TOKEN: TOKEN },
      encoding: "utf8",
      timeout: CHILD_WAIT_MS,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${PREFIX}${message}\n`);
  });
});

describe("signals during startup", () => {
  // Whether the signal lands during startup or after it, the answer must be exit 0.
  it.each(["SIGTERM", "SIGINT"] as const)(
    "exits 0 on %s sent as soon as the handlers are installed",
    async (signal) => {
      const proc = run(["--web.listen-address=127.0.0.1:0"], { USEAPI_TOKEN: TOKEN });
      await handlersInstalled(proc);
      proc.child.kill(signal);
      expect(await proc.exit).toEqual({ code: 0, signal: null });
    },
  );

  // The README's limit: no code of ours runs before Node's bootstrap ends, so a SIGHUP that early
  // meets its default action. A preload that blocks holds the process in that moment.
  it("ends by SIGHUP when it lands before main.ts runs, as Node's default action", async () => {
    const dir = mkdtempSync(join(tmpdir(), "process-hup-"));
    const hold = join(dir, "hold");
    execFileSync("mkfifo", [hold]);
    const preload = join(dir, "hold.mjs");
    writeFileSync(
      preload,
      `import { readFileSync, writeSync } from "node:fs";\nwriteSync(1, "held\\n");\nreadFileSync(${JSON.stringify(hold)});\n`,
    );
    const proc = run(["--web.listen-address=127.0.0.1:0"], { USEAPI_TOKEN: TOKEN }, [
      "--import",
      preload,
    ]);
    await output(proc, /held/);
    expect(caughtSignals(proc.child.pid ?? 0).has(1)).toBe(false);
    proc.child.kill("SIGHUP");
    expect(await proc.exit).toEqual({ code: null, signal: "SIGHUP" });
  });

  it("survives a SIGHUP sent as soon as the handlers are installed, then serves and stops", async () => {
    simulator = await startSimulator({ token: TOKEN, seed: 3, accounts: 2, idleAccounts: 0 });
    const proc = run(["--web.listen-address=127.0.0.1:0", `--useapi.base-url=${simulator.url}`], {
      USEAPI_TOKEN: TOKEN,
    });
    await handlersInstalled(proc);
    proc.child.kill("SIGHUP");
    const values = await untilUp(proc, await metricsUrl(proc));
    expect(values.get("useapi_minimax_accounts")).toBe(2);
    proc.child.kill("SIGTERM");
    expect(await proc.exit).toEqual({ code: 0, signal: null });
  });

  // A signal cannot be timed to land inside startup, so the order is checked in the source:
  // main.ts imports only types statically, and installs the handlers before any module loads.
  it("installs the SIGTERM, SIGINT and SIGHUP handlers in main.ts before loading anything", () => {
    const source = readFileSync(
      fileURLToPath(new URL("../../src/main.ts", import.meta.url)),
      "utf8",
    );
    const imports = source.match(/^import .*$/gm) ?? [];
    expect(imports.filter((line) => !line.startsWith("import type "))).toEqual([]);
    const firstLoad = Math.min(
      ...[source.indexOf("await import("), source.indexOf("loadConfig(")].filter((i) => i >= 0),
    );
    expect(firstLoad).toBeLessThan(Infinity);
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
      const at = source.indexOf(`process.on("${signal}"`);
      expect(at, signal).toBeGreaterThanOrEqual(0);
      expect(at, signal).toBeLessThan(firstLoad);
    }
  });
});

describe("the web config file at startup", () => {
  const dir = mkdtempSync(join(tmpdir(), "process-web-"));

  it("refuses a FIFO at once instead of waiting for a writer, with exit code 2", async () => {
    const fifo = join(dir, "web-fifo.yml");
    execFileSync("mkfifo", [fifo]);
    const proc = run([`--web.config.file=${fifo}`], { USEAPI_TOKEN: TOKEN });
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toBe(
      `useapi-minimax-exporter: invalid configuration: --web.config.file: "${fifo}" is not a regular file\n`,
    );
  });

  it("refuses a cert_file that links to /dev/zero, with exit code 2", async () => {
    symlinkSync("/dev/zero", join(dir, "zero.crt"));
    const web = join(dir, "zero.yml");
    writeFileSync(web, "tls_server_config:\n  cert_file: zero.crt\n  key_file: zero.crt\n");
    const proc = run([`--web.config.file=${web}`], { USEAPI_TOKEN: TOKEN });
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toBe(
      "useapi-minimax-exporter: invalid configuration: --web.config.file: tls_server_config.cert_file: the file it names is not a regular file\n",
    );
  });

  it("refuses a billion laughs alias bomb with exit code 2 and one line", async () => {
    const web = join(dir, "laughs.yml");
    // Nine levels of nine: 9^9 (387 million) "lol"s once every alias is expanded.
    const lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) {
      const [name, previous] = ["abcdefghi"[i], "abcdefghi"[i - 1]];
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    writeFileSync(web, `${lines.join("\n")}\n`);
    const proc = run([`--web.config.file=${web}`], { USEAPI_TOKEN: TOKEN });
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toBe(
      `useapi-minimax-exporter: invalid configuration: --web.config.file: "${web}": invalid YAML: its aliases expand too far (as in a billion laughs attack)\n`,
    );
  });

  it("refuses a file that is no web config without quoting it, with exit code 2", async () => {
    const web = join(dir, "shadow");
    writeFileSync(web, "root:$y$j9T$c2FsdA$c2VjcmV0:20228:0:99999:7:::\n");
    const proc = run([`--web.config.file=${web}`], { USEAPI_TOKEN: TOKEN });
    expect((await proc.exit).code).toBe(2);
    const text = proc.stderr.join("");
    expect(text).toMatch(
      /^[^\n]*--web\.config\.file: a top-level key is unknown and not shown[^\n]*\n$/,
    );
    expect(text).not.toContain("root");
  });
});

describe("the token at startup", () => {
  const dir = mkdtempSync(join(tmpdir(), "process-token-"));

  it("refuses a FIFO token file at once, with exit code 2", async () => {
    const fifo = join(dir, "token-fifo");
    execFileSync("mkfifo", [fifo]);
    const proc = run([`--useapi.token-file=${fifo}`]);
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toBe(
      `useapi-minimax-exporter: invalid configuration: --useapi.token-file: "${fifo}" is not a regular file\n`,
    );
  });

  it("refuses a token file larger than 4 KiB, with exit code 2", async () => {
    const big = join(dir, "big");
    writeFileSync(big, "x".repeat(20 * 1024 * 1024));
    const proc = run([`--useapi.token-file=${big}`]);
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toContain(`"${big}" is larger than 4096 bytes`);
  });

  it("refuses the token itself given as the token file, without showing it", async () => {
    const proc = run([`--useapi.token-file=${TOKEN}`]);
    expect((await proc.exit).code).toBe(2);
    const text = proc.stderr.join("");
    expect(text).toBe(
      "useapi-minimax-exporter: invalid configuration: --useapi.token-file: looks like a useapi.net token (not shown), not a file name: put the token in a file\n",
    );
    expect(text).not.toContain(TOKEN.split(":")[1]);
  });

  it("refuses a token that is not a valid header value without showing it", async () => {
    const proc = run([], { USEAPI_TOKEN: "t\u00f6k\u20acn" });
    expect((await proc.exit).code).toBe(2);
    const text = proc.stderr.join("");
    expect(text).toMatch(
      /^useapi-minimax-exporter: invalid configuration: USEAPI_TOKEN: token must be visible ASCII/,
    );
    expect(text).not.toContain("t\u00f6k\u20acn");
  });

  it("refuses --accounts.interval=30d, with exit code 2 and one line", async () => {
    const proc = run(["--accounts.interval=30d"], { USEAPI_TOKEN: TOKEN });
    expect((await proc.exit).code).toBe(2);
    expect(proc.stderr.join("")).toMatch(
      /^[^\n]*--accounts\.interval: "30d" is longer than [^\n]*\n$/,
    );
  });
});
