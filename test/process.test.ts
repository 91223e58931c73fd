import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../src/simulator/server.js";
import { get, ownSamples, TOKEN } from "./harness.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
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

function run(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...BASE_ENV, ...env } });
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

/** Resolves with the first match of `pattern` in the child's stdout, as soon as it is written. */
function output(proc: Running, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(proc.stdout.join(""));
      if (match === null) return false;
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
            `exited before ${pattern}; stdout: ${proc.stdout.join("")} stderr: ${proc.stderr.join("")}`,
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
  await output(proc, /polls of the jobs list succeed/);
  const values = ownSamples((await get(url)).body);
  expect(values.get("useapi_minimax_up")).toBe(1);
  return values;
}

/**
 * A web config file that is a FIFO: the child blocks reading it while it loads its
 * configuration. Resolves once the child has opened it, so the child is known to be inside
 * startup until `release()` writes an empty config and closes it.
 */
async function holdStartup(proc: Running, fifo: string): Promise<{ release(): Promise<void> }> {
  const opening = open(fifo, "w");
  const exited = proc.exit.then(() => {
    // Unblocks our own pending open, so no thread is left waiting for a reader.
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    throw new Error(`exited before reading its config; stderr: ${proc.stderr.join("")}`);
  });
  const handle: FileHandle = await Promise.race([opening, exited]);
  return {
    async release() {
      await handle.writeFile("# no TLS, no users\n");
      await handle.close();
    },
  };
}

function fifoIn(dir: string): string {
  const fifo = join(dir, "web.yml");
  execFileSync("mkfifo", [fifo]);
  return fifo;
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
    [["--poll.timeout=20s"], {}, "--poll.timeout: must be shorter than --poll.interval (15s)"],
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
      const output = proc.stdout.join("") + proc.stderr.join("");
      expect(output).toContain("shutting down");
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
    expect(executing.length).toBeGreaterThan(0);
    proc.child.kill("SIGTERM");
    expect((await proc.exit).code).toBe(0);
  });

  it("exits 1 with a line naming the listen address when it is taken", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const proc = run([`--web.listen-address=127.0.0.1:${port}`], { USEAPI_TOKEN: TOKEN });
      expect((await proc.exit).code).toBe(1);
      const lines = proc.stdout.join("").trimEnd().split("\n");
      const last = JSON.parse(lines.at(-1) ?? "{}") as { level?: string; msg?: string };
      expect(last.msg).toBe(
        `cannot start: --web.listen-address 127.0.0.1:${port}: address already in use`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("accepts -h as --help", async () => {
    const proc = run(["-h"]);
    expect(await proc.exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout.join("")).toContain("-h, --help");
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

describe("signals during startup", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "exits 0 on %s that arrives while the configuration is still being read",
    async (signal) => {
      const fifo = fifoIn(mkdtempSync(join(tmpdir(), "signal-")));
      const proc = run(["--web.listen-address=127.0.0.1:0", `--web.config.file=${fifo}`], {
        USEAPI_TOKEN: TOKEN,
      });
      const held = await holdStartup(proc, fifo);
      proc.child.kill(signal);
      await held.release();
      expect(await proc.exit).toEqual({ code: 0, signal: null });
    },
  );

  it("survives a SIGHUP that arrives before the exporter exists, then serves and stops", async () => {
    simulator = await startSimulator({ token: TOKEN, seed: 3, accounts: 2, idleAccounts: 0 });
    const fifo = fifoIn(mkdtempSync(join(tmpdir(), "signal-")));
    const proc = run(
      [
        "--web.listen-address=127.0.0.1:0",
        `--web.config.file=${fifo}`,
        `--useapi.base-url=${simulator.url}`,
      ],
      { USEAPI_TOKEN: TOKEN },
    );
    const held = await holdStartup(proc, fifo);
    proc.child.kill("SIGHUP");
    await held.release();
    const values = await untilUp(proc, await metricsUrl(proc));
    expect(values.get("useapi_minimax_accounts")).toBe(2);
    proc.child.kill("SIGTERM");
    expect(await proc.exit).toEqual({ code: 0, signal: null });
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
