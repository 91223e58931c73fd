// The one stack of the tests and the benchmarks: a simulator, and the exporter polling it,
// configured by flags through the exporter's own parser. It is handed the build it runs: src/ for
// the tests (test/stack.ts, through vitest), dist/ for the benchmarks (bench/common.js).

/** The stack over one build: its flag table and parser, its exporter and its simulator. */
export function stackOver({ FLAGS, readCommandLine, startExporter, startSimulator }) {
  /** The flags of `argv` as [name, its arguments]: `--name=value`, `--name value` or `--flag`. */
  function flagUnits(argv) {
    const units = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      const name = /^--([^=]+)/.exec(arg)?.[1];
      const takesValue = FLAGS.find((f) => f.name === name)?.type === "string";
      if (name !== undefined && takesValue && !arg.includes("=") && i + 1 < argv.length) {
        units.push([name, [arg, argv[++i]]]);
      } else {
        // Anything else is the parser's to judge, kept as is under a name no flag has.
        units.push([name ?? ` ${i}`, [arg]]);
      }
    }
    return units;
  }

  /**
   * Flag lists merged by name, each list's flags replacing the earlier lists' flags of the same
   * name, so that a caller's flag overrides a default while the parser still refuses a flag given
   * twice within one list.
   */
  function mergeFlags(...lists) {
    let merged = [];
    for (const list of lists) {
      const units = flagUnits(list);
      const names = new Set(units.map(([name]) => name));
      merged = [...merged.filter(([name]) => !names.has(name)), ...units];
    }
    return merged.flatMap(([, args]) => args);
  }

  /** Reads flags through the exporter's own parser; what it refuses throws a ConfigError. */
  function stackConfig({ baseUrl, flags = [], env }) {
    const command = readCommandLine({
      argv: mergeFlags(["--web.listen-address=127.0.0.1:0", `--useapi.base-url=${baseUrl}`], flags),
      env,
    });
    if (command.kind !== "run") throw new Error(`flags asked for ${command.kind}, not a run`);
    return command.config;
  }

  /** A simulator and an exporter polling it on loopback, configured by flags. */
  async function startStack(options) {
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

  return { mergeFlags, stackConfig, startStack };
}
