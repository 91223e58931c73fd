#!/usr/bin/env node
import type { Config } from "./config/config.js";
import type { RunningExporter } from "./exporter.js";
import type { Logger } from "./logging/logger.js";

const SHUTDOWN_GRACE_MS = 5_000;

type Running = Pick<RunningExporter, "reloadToken" | "close">;

let logger: Logger | undefined;
/** The running exporter, and in demo mode the simulator it polls. */
let exporter: Running | undefined;
let starting: Promise<Running | undefined> | undefined;
let stopping = false;

// Before anything loads: a signal during startup must not kill the process with 143 or 129.
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The token was just read at startup, so a SIGHUP before the exporter exists is moot.
process.on("SIGHUP", () => exporter?.reloadToken());

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger?.info({ signal }, "shutting down");
  setTimeout(() => {
    logger?.error("shutdown took too long; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  // A startup still under way is let finish, so that what it opened is closed.
  (starting ?? Promise.resolve(exporter))
    .catch(() => undefined)
    .then((running) => running?.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger?.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
}

/** "cannot start" with the address and a reason a person can act on. */
function startFailure(error: unknown, listen: Config["listen"]): string {
  const { host, port } = listen;
  const address = `${host === undefined ? "" : host.includes(":") ? `[${host}]` : host}:${port}`;
  const code = (error as { code?: string }).code;
  const reasons: Record<string, string> = {
    EADDRINUSE: "address already in use",
    EACCES: "permission denied (ports below 1024 need privileges)",
    EADDRNOTAVAIL: "address not available on this host",
    ENOTFOUND: "host name not found",
  };
  const reason = reasons[code ?? ""];
  if (reason !== undefined) return `cannot start: --web.listen-address ${address}: ${reason}`;
  const message = error instanceof Error ? error.message : String(error);
  return `cannot start: ${message.split("\n")[0] ?? ""}`;
}

async function main(): Promise<void> {
  const { ConfigError, configWarnings } = await import("./config/config.js");
  const { helpText, readCommandLine } = await import("./cli.js");
  const { NAME, VERSION } = await import("./version.js");
  let command;
  try {
    command = readCommandLine({ argv: process.argv.slice(2), env: process.env });
  } catch (error) {
    // Whatever went wrong reading the configuration is one line and exit 2, never a stack trace.
    const problem =
      error instanceof ConfigError
        ? error
        : new ConfigError("unexpected error", String(error).split("\n")[0] ?? "");
    process.stderr.write(`${NAME}: invalid configuration: ${problem.message}\n`);
    process.exit(2);
  }
  if (command.kind !== "run") {
    const version = `${NAME} ${VERSION} (Node.js ${process.version})\n`;
    process.stdout.write(command.kind === "help" ? helpText(NAME) : version);
    return;
  }
  const { config } = command;
  const { createLogger } = await import("./logging/logger.js");
  const { startExporter } = await import("./exporter.js");
  const { startDemoUpstream } = await import("./demo.js");
  // A signal during the imports above has already begun the exit.
  if (stopping) return;
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  logger = log;
  for (const warning of configWarnings(config)) log.warn(warning);
  starting = (async (): Promise<Running> => {
    const demo = config.demo ? await startDemoUpstream(config, log) : undefined;
    try {
      const running = await startExporter(demo?.config ?? config, { logger: log });
      return {
        reloadToken: () => running.reloadToken(),
        async close() {
          await running.close();
          await demo?.close();
        },
      };
    } catch (error) {
      await demo?.close();
      throw error;
    }
  })();
  try {
    exporter = await starting;
  } catch (error) {
    // One plain line like every other startup failure; the details only at debug level.
    log.debug({ err: error }, "startup failed");
    process.stderr.write(`${NAME}: ${startFailure(error, config.listen)}\n`);
    process.exit(1);
  }
}

await main();
