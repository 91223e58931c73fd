#!/usr/bin/env node
import { ConfigError, loadConfig, usage } from "./config.js";
import { startExporter } from "./exporter.js";
import { createLogger } from "./logger.js";
import { NAME, VERSION } from "./version.js";

const SHUTDOWN_GRACE_MS = 5_000;

async function main(): Promise<void> {
  let command;
  try {
    command = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${NAME}: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  if (command.kind === "help") {
    process.stdout.write(usage(NAME));
    return;
  }
  if (command.kind === "version") {
    process.stdout.write(`${NAME} ${VERSION} (Node.js ${process.version})\n`);
    return;
  }

  const { config } = command;
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  let exporter;
  try {
    exporter = await startExporter(config, { logger });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "EADDRINUSE" ? "address already in use" : (error as Error).message;
    logger.error({ code }, `cannot start: ${reason}`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    exporter.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGHUP", () => exporter.reloadToken());
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

await main();
