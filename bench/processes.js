// The exporter, the simulator and the floor as separate Node processes, started as users start
// them (`npm start`), all with the same Node flags: for bench/users.js and bench/bounds.js.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL, URL } from "node:url";
import { request } from "undici";
import { freePort } from "./blackbox.js";
import { TOKEN } from "./common.js";

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
export const EXPORTER = dist("main.js");
export const SIMULATOR = dist("simulator/main.js");
export const FLOOR = fileURLToPath(new URL("./floor.js", import.meta.url));
const DOCKERFILE = fileURLToPath(new URL("../Dockerfile", import.meta.url));

/**
 * The Node flags the exporter runs with: the Dockerfile's ENTRYPOINT's (between `node` and the
 * script), which `npm start` passes too (test/unit/container-docs.test.ts).
 */
export function exporterNodeFlags() {
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(DOCKERFILE, "utf8"))?.[1];
  const argv = entrypoint === undefined ? [] : JSON.parse(entrypoint);
  return argv.slice(1).filter((arg) => arg.startsWith("--"));
}

/** The environment the image gives the exporter: the Dockerfile's `ENV name=value` lines. */
export function exporterEnv() {
  const lines = readFileSync(DOCKERFILE, "utf8").matchAll(/^ENV (\w+)=(\S+)$/gm);
  return Object.fromEntries([...lines].map(([, name, value]) => [name, value]));
}

/** The Node flags of every measured process: the exporter's (no forced GC). */
export const NODE_FLAGS = exporterNodeFlags();
const ENV = { ...process.env, ...exporterEnv(), USEAPI_TOKEN: TOKEN };

/**
 * `node [NODE_FLAGS] [--import preload] script ...args` with the bench's token in its environment;
 * stdout (the logs) discarded, the end of stderr kept for errors, an IPC channel when asked.
 */
export function startNode(script, args = [], { node = process.execPath, preload, ipc } = {}) {
  const imports = preload === undefined ? [] : ["--import", pathToFileURL(preload).href];
  const child = spawn(node, [...NODE_FLAGS, ...imports, script, ...args], {
    env: ENV,
    stdio: ["ignore", "ignore", "pipe", ...(ipc ? ["ipc"] : [])],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = once(child, "exit").then(([code, signal]) => code ?? signal);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid,
    exited,
    alive,
    stderr: () => stderr.trim(),
    async stop() {
      if (!alive()) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resolves once GET `url` answers 200 (within `ms`), or throws with what the process said. */
export async function until200(url, proc, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!proc.alive()) throw new Error(`${url}: the process exited: ${proc.stderr()}`);
    try {
      const response = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
      await response.body.arrayBuffer();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${ms} ms`);
    await sleep(100);
  }
}

/** The simulator (`--accounts`, seed 1) on a free loopback port, once it answers. */
export async function startSimulatorProcess(accounts, options = {}) {
  const port = await freePort();
  const proc = startNode(
    SIMULATOR,
    [`--listen=127.0.0.1:${port}`, `--accounts=${accounts}`],
    options,
  );
  const url = `http://127.0.0.1:${port}`;
  await until200(`${url}/__simulator/stats`, proc);
  return { ...proc, url };
}

/** The exporter polling `baseUrl` with `flags` on a free loopback port, once /-/healthy answers. */
export async function startExporterProcess(baseUrl, flags = [], options = {}) {
  const port = await freePort();
  const proc = startNode(
    EXPORTER,
    [`--useapi.base-url=${baseUrl}`, `--web.listen-address=127.0.0.1:${port}`, ...flags],
    options,
  );
  const url = `http://127.0.0.1:${port}`;
  await until200(`${url}/-/healthy`, proc);
  return { ...proc, url };
}
