import { describe, expect, it } from "vitest";
import { CliError, parseSimulatorArgs } from "../../src/simulator/cli.js";
import { TOKEN } from "../simulator-fixtures.js";

describe("the simulator command line", () => {
  const env = { USEAPI_TOKEN: TOKEN };

  it("reads the listen address, seed and accounts, with loopback defaults", () => {
    expect(
      parseSimulatorArgs(["--listen=127.0.0.1:9878", "--seed=3", "--accounts=4"], env),
    ).toEqual({
      token: TOKEN,
      host: "127.0.0.1",
      port: 9878,
      seed: 3,
      accounts: 4,
      idleAccounts: 1,
    });
    expect(parseSimulatorArgs(["--listen=[::1]:0"], env)).toMatchObject({ host: "::1", port: 0 });
    expect(parseSimulatorArgs(["--listen=:9000"], env)).toMatchObject({
      host: "127.0.0.1",
      port: 9000,
    });
  });

  it.each([
    [[], {}, /USEAPI_TOKEN is not set/],
    [["--seed=x"], env, /^--seed: /],
    [["--accounts=0"], env, /^--accounts: /],
    [["--listen=nohost"], env, /^--listen: /],
    [["--listen=127.0.0.1:70000"], env, /^--listen port: /],
    [["--bogus"], env, /bogus/],
  ])("refuses %j with a one-line message naming the problem", (argv, environment, message) => {
    const attempt = (): unknown => parseSimulatorArgs(argv, environment);
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(message);
  });

  it("never puts the token in an error message", () => {
    let message = "";
    try {
      parseSimulatorArgs(["--seed=-1"], env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/--seed/);
    expect(message).not.toContain(TOKEN);
  });
});
