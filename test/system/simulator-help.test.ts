import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseSimulatorCommand, SIMULATOR_FLAGS, simulatorUsage } from "../../src/simulator/cli.js";

const MAIN = fileURLToPath(new URL("../../dist/simulator/main.js", import.meta.url));
const run = promisify(execFile);

describe("the simulator's help", () => {
  it("answers --help and -h before checking the token or the other flags", () => {
    expect(parseSimulatorCommand(["--help", "--seed=x"], {})).toEqual({ kind: "help" });
    expect(parseSimulatorCommand(["-h"], {})).toEqual({ kind: "help" });
    expect(parseSimulatorCommand(["--version"], {})).toEqual({ kind: "version" });
  });

  it("still runs with the flags it had", () => {
    const command = parseSimulatorCommand(["--seed=3", "--accounts=2"], { USEAPI_TOKEN: "t" });
    expect(command).toMatchObject({ kind: "run", options: { seed: 3, accounts: 2 } });
  });

  it("lists every flag with its default in the help text", () => {
    const text = simulatorUsage("minimax-simulator");
    for (const flag of SIMULATOR_FLAGS) {
      expect(text).toContain(`--${flag.name}`);
      if (flag.default !== undefined) expect(text).toContain(`(default ${flag.default})`);
    }
    expect(text).toContain("USEAPI_TOKEN");
  });

  it("prints the help from the built process and exits 0, without a token", async () => {
    for (const flag of ["--help", "-h"]) {
      const { stdout, stderr } = await run(process.execPath, [MAIN, flag], { env: {} });
      expect(stdout).toBe(simulatorUsage("minimax-simulator"));
      expect(stderr).toBe("");
    }
  });

  it("prints its version from the built process and exits 0", async () => {
    const { stdout } = await run(process.execPath, [MAIN, "--version"], { env: {} });
    expect(stdout).toMatch(/^minimax-simulator \d+\.\d+\.\d+ \(Node\.js v\d+/);
  });

  it("points an unknown flag at --help", () => {
    expect(() => parseSimulatorCommand(["--bogus"], {})).toThrow(/bogus.*\(see --help\)$/);
  });
});
