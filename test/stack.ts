import { FLAGS, readCommandLine, type ExporterConfig } from "../src/cli.js";
import { startExporter, type ExporterDeps, type RunningExporter } from "../src/exporter.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../src/simulator/server.js";
import { stackOver } from "../bench/stack.js";

/** What the tests start: the exporter configured by flags, as at startup. */
export interface ConfigOptions {
  /** The simulator's URL, given as --useapi.base-url before the caller's flags. */
  baseUrl: string;
  /** Command-line flags; each replaces the stack's flag of the same name (see mergeFlags). */
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
  config: ExporterConfig;
  close(): Promise<void>;
}

/** The one stack (bench/stack.js), over src/; the benchmarks run it over dist/. */
const stack = stackOver({ FLAGS, readCommandLine, startExporter, startSimulator });

/**
 * Flag lists merged by name, each list's flags replacing the earlier lists' flags of the same name,
 * so that a caller's flag overrides a default while the parser still refuses a flag given twice
 * within one list.
 */
export const mergeFlags = stack.mergeFlags;

/** Reads flags through the exporter's own parser; what it refuses throws a ConfigError. */
export const stackConfig = (options: ConfigOptions) => stack.stackConfig(options) as ExporterConfig;

/** A simulator and an exporter polling it on loopback, configured by flags. */
export const startStack = (options: StackOptions) => stack.startStack(options) as Promise<Stack>;
