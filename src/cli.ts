import {
  exporterFlags,
  loadConfig,
  usage,
  type CliCommand,
  type Config,
  type ConfigSources,
} from "./config/config.js";
import { SOURCE_MODULES } from "./sources/index.js";
import type { SourceModule } from "./sources/module.js";

/** Every source module's configuration: config/ knows no module; this is where they meet. */
export type ExporterConfig = Config<SourceModule>;

/** Every flag of the exporter, in --help order. */
export const FLAGS = exporterFlags(SOURCE_MODULES.flatMap((module) => module.flags));

/** The flags and environment variables into a checked configuration of every source module. */
export function readCommandLine(sources: Omit<ConfigSources, "modules">): CliCommand<SourceModule> {
  return loadConfig({ ...sources, modules: SOURCE_MODULES });
}

export function helpText(name: string): string {
  return usage(name, FLAGS);
}
