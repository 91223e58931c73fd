import { loadConfig, type Config } from "../config/config.js";
import { startExporter, type ExporterDeps, type RunningExporter } from "../exporter.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "./server.js";

/** What the tests and the benchmarks share: the exporter configured by flags, as at startup. */
export interface ConfigOptions {
  /** The simulator's URL, given as --useapi.base-url before the caller's flags. */
  baseUrl: string;
  /** Command-line flags; a flag given twice takes its last value, so these override the stack's. */
  flags?: readonly string[];
  /** The environment the flag parser reads (USEAPI_TOKEN, MINIMAX_EXPORTER_*). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface StackOptions extends Omit<ConfigOptions, "baseUrl"> {
  /** The token the simulator accepts. */
  token: string;
  deps: ExporterDeps;
  simulator?: Partial<SimulatorOptions>;
  /** Runs after the simulator is up and before the exporter starts (and polls). */
  before?: (simulator: Simulator) => void;
}

export interface Stack {
  simulator: Simulator;
  exporter: RunningExporter;
  config: Config;
  close(): Promise<void>;
}

/** Reads flags through the exporter's own parser; what it refuses throws a ConfigError. */
export function stackConfig({ baseUrl, flags = [], env }: ConfigOptions): Config {
  const command = loadConfig({
    argv: ["--web.listen-address=127.0.0.1:0", `--useapi.base-url=${baseUrl}`, ...flags],
    env,
  });
  if (command.kind !== "run") throw new Error(`flags asked for ${command.kind}, not a run`);
  return command.config;
}

/** A simulator and an exporter polling it on loopback, configured by flags. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const simulator = await startSimulator({ ...options.simulator, token: options.token });
  try {
    options.before?.(simulator);
    const config = stackConfig({ ...options, baseUrl: simulator.url });
    const exporter = await startExporter(config, options.deps);
    return {
      simulator,
      exporter,
      config,
      async close() {
        await exporter.close();
        await simulator.close();
      },
    };
  } catch (error) {
    await simulator.close();
    throw error;
  }
}
