// The benchmarks' stack over dist/: the exporter configured by flags (through its own parser), and
// the simulator it polls. The tests have theirs over src/ (test/stack.ts).
import { readCommandLine } from "../dist/cli.js";
import { startExporter } from "../dist/exporter.js";
import { startSimulator } from "../dist/simulator/server.js";

const nameOf = (flag) => /^--([^=]+)/.exec(flag)?.[1] ?? flag;

/** `--name=value` lists merged by name: a later list's flag replaces an earlier one's. */
export function mergeFlags(...lists) {
  const merged = new Map();
  for (const list of lists) for (const flag of list) merged.set(nameOf(flag), flag);
  return [...merged.values()];
}

/** The configuration the flags give, polling `baseUrl` and listening on a loopback port. */
export function stackConfig({ baseUrl, flags = [], env }) {
  const command = readCommandLine({
    argv: mergeFlags(["--web.listen-address=127.0.0.1:0", `--useapi.base-url=${baseUrl}`], flags),
    env,
  });
  if (command.kind !== "run") throw new Error(`flags asked for ${command.kind}, not a run`);
  return command.config;
}

/** A simulator and an exporter polling it on loopback. */
export async function startStack({ token, flags, env, deps, simulator: options, before }) {
  const simulator = await startSimulator({ ...options, token });
  try {
    before?.(simulator);
    const exporter = await startExporter(stackConfig({ baseUrl: simulator.url, flags, env }), deps);
    return {
      simulator,
      exporter,
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
