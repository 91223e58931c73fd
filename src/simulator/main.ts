#!/usr/bin/env node
import { VERSION } from "../version.js";
import { CliError, parseSimulatorCommand, simulatorUsage } from "./cli.js";
import { startSimulator } from "./server.js";

const NAME = "minimax-simulator";

async function main(): Promise<void> {
  let command;
  try {
    command = parseSimulatorCommand(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`${NAME}: ${error.message}\n`);
    process.exit(2);
  }
  if (command.kind === "help") {
    process.stdout.write(simulatorUsage(NAME));
    return;
  }
  if (command.kind === "version") {
    process.stdout.write(`${NAME} ${VERSION} (Node.js ${process.version})\n`);
    return;
  }
  const { options } = command;
  let simulator;
  try {
    simulator = await startSimulator(options);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "EADDRINUSE" ? "address already in use" : (error as Error).message;
    process.stderr.write(`${NAME}: cannot listen on ${options.host}:${options.port}: ${reason}\n`);
    process.exit(1);
  }
  process.stdout.write(`simulator listening on ${simulator.url}\n`);

  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${NAME}: error while closing: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

await main();
