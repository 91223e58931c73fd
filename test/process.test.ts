import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
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

/** Waits for the "exporter listening" log line and returns the metrics URL it names. */
async function metricsUrl(proc: Running): Promise<string> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const match = /"metrics":"([^"]+)"/.exec(proc.stdout.join(""));
    if (match?.[1]) return match[1];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(
    `no listening line; stdout: ${proc.stdout.join("")} stderr: ${proc.stderr.join("")}`,
  );
}

async function untilUp(url: string): Promise<Map<string, number>> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const values = ownSamples((await get(url)).body);
    if (values.get("useapi_minimax_up") === 1) return values;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("exporter never reported up 1");
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
      const values = await untilUp(url);
      expect(values.get("useapi_minimax_accounts")).toBe(3);
      simulator.setMode("hang");
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      proc.child.kill(signal);
      expect(await proc.exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(5_000);
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
    const values = await untilUp(url);
    const executing = [...values.keys()].filter((k) =>
      k.startsWith("useapi_minimax_agent_jobs_executing{account="),
    );
    expect(executing.length).toBeGreaterThan(0);
    proc.child.kill("SIGTERM");
    expect((await proc.exit).code).toBe(0);
  });

  it("exits 1 with a clear line when the listen address is taken", async () => {
    simulator = await startSimulator({ token: TOKEN });
    const port = new URL(simulator.url).port;
    const proc = run(
      [`--web.listen-address=127.0.0.1:${port}`, `--useapi.base-url=${simulator.url}`],
      {
        USEAPI_TOKEN: TOKEN,
      },
    );
    expect((await proc.exit).code).toBe(1);
    expect(proc.stdout.join("")).toContain("address already in use");
  });
});
