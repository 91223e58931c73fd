// Prometheus' blackbox_exporter (Debian's prometheus-blackbox-exporter) as a reference server for
// bench/flood.js: a Go server whose basic auth is exporter-toolkit's `--web.config.file`.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuSeconds, processRunQueueSeconds } from "./proc-stat.js";

export const BLACKBOX_BINARY = "prometheus-blackbox-exporter";
export const BLACKBOX_PACKAGE = "prometheus-blackbox-exporter";

/** The binary's path: `binary` when given (it must be executable), else the first on PATH. */
export function findBlackbox(binary) {
  const candidates =
    binary === undefined
      ? (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, BLACKBOX_BINARY))
      : [binary];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `${binary ?? BLACKBOX_BINARY} is not ${binary === undefined ? "on PATH" : "an executable"}: ` +
      `the flood comparison needs blackbox_exporter, install the Debian package ${BLACKBOX_PACKAGE} ` +
      `(apt-get install ${BLACKBOX_PACKAGE})`,
  );
}

/** "0.23.0", from `--version`. */
export function blackboxVersion(binary) {
  const out = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return /version (\S+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? "unknown";
}

/** A port free on 127.0.0.1 now (another process may take it before it is used). */
export async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/**
 * blackbox_exporter on 127.0.0.1 with `webConfig` (a web config file, or none) and `modules` (a
 * modules file; else a minimal one written next to the web config); resolves with its base URL
 * once it accepts connections, its pid, and `stop`.
 */
export async function startBlackbox(binary, webConfig, modules) {
  if (modules === undefined) {
    modules = join(dirname(webConfig), "blackbox.yml");
    writeFileSync(modules, "modules:\n  http_2xx:\n    prober: http\n");
  }
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${modules}`,
      ...(webConfig === undefined ? [] : [`--web.config.file=${webConfig}`]),
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = once(child, "exit").then(([code, signal]) => {
    throw new Error(`${binary} exited (${code ?? signal}) before it listened: ${stderr.trim()}`);
  });
  exited.catch(() => undefined); // read below, or not at all once it listens
  const deadline = Date.now() + 10_000;
  for (;;) {
    const connected = await Promise.race([
      exited,
      new Promise((resolve) => {
        const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
        socket.on("error", () => resolve(undefined));
      }),
    ]);
    if (connected) {
      connected.destroy();
      break;
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`${binary} did not listen on 127.0.0.1:${port} within 10 s: ${stderr}`);
    }
    await sleep(20);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    /** CPU seconds so far, and seconds its threads (those alive now) waited for a CPU. */
    stats: async () => ({
      cpuSec: cpuSeconds(child.pid),
      runQueueSec: processRunQueueSeconds(child.pid),
    }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, "exit");
      child.kill("SIGTERM");
      await gone;
    },
  };
}
