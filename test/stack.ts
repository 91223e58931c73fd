import { FLAGS, readCommandLine, type ExporterConfig } from "../src/cli.js";
import { startExporter, type ExporterDeps, type RunningExporter } from "../src/exporter.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../src/simulator/server.js";

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

/** The flags of `argv` as [name, its arguments]: `--name=value`, `--name value` or `--flag`. */
function flagUnits(argv: readonly string[]): [string, string[]][] {
  const units: [string, string[]][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const name = /^--([^=]+)/.exec(arg)?.[1];
    const takesValue = FLAGS.find((f) => f.name === name)?.type === "string";
    if (name !== undefined && takesValue && !arg.includes("=") && i + 1 < argv.length) {
      units.push([name, [arg, argv[++i] ?? ""]]);
    } else {
      // Anything else is the parser's to judge, kept as is under a name no flag has.
      units.push([name ?? ` ${i}`, [arg]]);
    }
  }
  return units;
}

/**
 * Flag lists merged by name, each list's flags replacing the earlier lists' flags of the same name,
 * so that a caller's flag overrides a default while the parser still refuses a flag given twice
 * within one list.
 */
export function mergeFlags(...lists: readonly (readonly string[])[]): string[] {
  let merged: [string, string[]][] = [];
  for (const list of lists) {
    const units = flagUnits(list);
    const names = new Set(units.map(([name]) => name));
    merged = [...merged.filter(([name]) => !names.has(name)), ...units];
  }
  return merged.flatMap(([, args]) => args);
}

/** Reads flags through the exporter's own parser; what it refuses throws a ConfigError. */
export function stackConfig({ baseUrl, flags = [], env }: ConfigOptions): ExporterConfig {
  const command = readCommandLine({
    argv: mergeFlags(["--web.listen-address=127.0.0.1:0", `--useapi.base-url=${baseUrl}`], flags),
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
