import { describe, expect, it } from "vitest";
import { readCommandLine } from "../../src/cli.js";
import { parseSimulatorCommand } from "../../src/simulator/cli.js";
import { readDoc } from "../markdown.js";

/** docs/operations.md's example of the simulator running alone, line by line. */
function example(): string[] {
  const text = readDoc("docs/operations.md");
  const section = text.slice(text.indexOf("## Simulator"), text.indexOf("## Performance"));
  const block = /^```sh\n([\s\S]*?)^```/m.exec(section)?.[1] ?? "";
  return block.trim().split("\n");
}

/** The flags after `npm run <script> --` on the example's line of that script. */
function flagsOf(lines: string[], script: string): string[] {
  const line = lines.find((l) => l.startsWith(`npm ${script} -- `)) ?? "";
  expect(line, `a line running npm ${script}`).not.toBe("");
  return line.slice(`npm ${script} -- `.length).replace(/\s*&$/, "").split(/\s+/);
}

describe("docs/operations.md's simulator example", () => {
  it("gives a token and flags that both the simulator and the exporter accept, pointed at each other", () => {
    const lines = example();
    const token = /^export USEAPI_TOKEN=(\S+)$/.exec(lines[0] ?? "")?.[1];
    expect(token, lines.join("\n")).toBeDefined();
    const env = { USEAPI_TOKEN: token };

    const simulator = parseSimulatorCommand(flagsOf(lines, "run simulator"), env);
    if (simulator.kind !== "run") throw new Error(`the simulator's flags give ${simulator.kind}`);
    expect(simulator.options.token).toBe(token);

    const exporter = readCommandLine({ argv: flagsOf(lines, "start"), env });
    if (exporter.kind !== "run") throw new Error(`the exporter's flags give ${exporter.kind}`);
    expect(exporter.config.token).toBe(token);
    const { host, port } = simulator.options;
    expect(exporter.config.baseUrl).toBe(`http://${host}:${port}`);
  });
});
