// The types the tests see of bench/stack.js; test/stack.ts gives its results their src/ types.
export function stackOver(build: {
  FLAGS: readonly { name: string; type: string }[];
  readCommandLine: (input: {
    argv: string[];
    env: Readonly<Record<string, string | undefined>>;
  }) => unknown;
  startExporter: (config: never, deps: never) => Promise<unknown>;
  startSimulator: (options: never) => Promise<unknown>;
}): {
  mergeFlags: (...lists: readonly (readonly string[])[]) => string[];
  stackConfig: (options: object) => unknown;
  startStack: (options: object) => Promise<unknown>;
};
