import { readdirSync, readFileSync } from "node:fs";
import { sep } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FLAGS, helpText, readCommandLine } from "../../src/cli.js";
import { SOURCE_MODULES } from "../../src/sources/index.js";
import { ownSamples, scrape, startStack, type Stack } from "../harness.js";
import { VirtualClock } from "../virtual-clock.js";

const SRC = new URL("../../src/", import.meta.url);
const files = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .map((path) => path.split(sep).join("/"))
  .filter((path) => path.endsWith(".ts"));
/** The folders under src/sources/ that hold one source module each (common/ holds shared helpers). */
const MODULE_FOLDERS = readdirSync(new URL("sources/", SRC), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "common")
  .map((entry) => entry.name);

/** The src/-relative files that `file` imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(new URL(file, SRC), "utf8");
  const dir = file.split("/").slice(0, -1);
  return [...text.matchAll(/from "(\.[^"]+)\.js"/g)].map((m) => {
    const parts = [...dir];
    for (const part of (m[1] ?? "").split("/")) {
      if (part === "..") parts.pop();
      else if (part !== ".") parts.push(part);
    }
    return `${parts.join("/")}.ts`;
  });
}

describe("the source registry", () => {
  it("finds a module for every folder under src/sources/ and a folder for every module", () => {
    expect(MODULE_FOLDERS.length).toBeGreaterThanOrEqual(4);
    const registry = readFileSync(new URL("sources/index.ts", SRC), "utf8");
    for (const folder of MODULE_FOLDERS) {
      expect(registry, folder).toContain(`from "./${folder}/module.js"`);
    }
  });

  it("is the only file outside a module's folder that imports the module's files", () => {
    const reaching: string[] = [];
    for (const file of files) {
      for (const imported of importsOf(file)) {
        const folder = /^sources\/([^/]+)\//.exec(imported)?.[1];
        if (folder === undefined || !MODULE_FOLDERS.includes(folder)) continue;
        if (file.startsWith(`sources/${folder}/`) || file === "sources/index.ts") continue;
        reaching.push(`${file} imports ${imported}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it("turns each module off with the flags it names, and only the jobs list cannot be", () => {
    const enabled = (argv: readonly string[]) => {
      const command = readCommandLine({
        argv,
        env: { USEAPI_TOKEN: "user:1234-abcdefghijklmnop" },
      });
      if (command.kind !== "run") throw new Error(`expected a run, got ${command.kind}`);
      return command.config.sources.map((s) => s.module.name);
    };
    expect(enabled([])).toEqual(SOURCE_MODULES.map((m) => m.name));
    for (const module of SOURCE_MODULES) {
      if (module.off === undefined) continue;
      expect(enabled(module.off)).toEqual(
        SOURCE_MODULES.map((m) => m.name).filter((name) => name !== module.name),
      );
    }
    expect(SOURCE_MODULES.filter((m) => m.off === undefined).map((m) => m.name)).toEqual(["jobs"]);
  });

  it("names every module, family and flag once, and lists each module's flags in --help", () => {
    const names = SOURCE_MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    const flags = FLAGS.map((f) => f.name);
    expect(new Set(flags).size).toBe(flags.length);
    const help = helpText("exporter");
    for (const flag of SOURCE_MODULES.flatMap((m) => m.flags)) {
      expect(flags).toContain(flag.name);
      expect(help).toContain(`--${flag.name}=<value>`);
    }
  });
});

describe("the accounts source", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it("drops its series when no poll succeeded for as many of its intervals as the window holds of the jobs list's", async () => {
    const clock = new VirtualClock();
    // --poll.interval=1h and the default window of 5 intervals: 10 h for a 2 h accounts interval.
    stack = await startStack({ flags: ["--accounts.interval=2h"], deps: { timers: clock } });
    expect(await stack.exporter.runner("accounts").pollOnce()).toBe("success");
    const before = ownSamples(await scrape(stack));
    const series = [...before.keys()].filter((k) => k.startsWith("useapi_minimax_account_error{"));
    expect(series.length).toBe(stack.simulator.activity.accounts.length);
    clock.fire(
      await clock.scheduled((timer) => timer.ms === 10 * 3_600_000, "the 10 h staleness window"),
    );
    const after = ownSamples(await scrape(stack));
    expect([...after.keys()].filter((k) => k.startsWith("useapi_minimax_account_"))).toEqual([]);
    expect(after.get('useapi_minimax_source_up{source="accounts"}')).toBe(1);
  });
});

describe("the exporter's idle()", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it("resolves once the first poll of every source, started with the exporter, has ended", async () => {
    const polled = ["jobs", "accounts", "scheduler", "subscription", "usage"];
    stack = await startStack({ flags: polled.slice(1).map((name) => `--${name}.interval=1h`) });
    await stack.exporter.idle();
    const values = ownSamples(await scrape(stack));
    for (const source of polled) {
      expect(
        values.get(`useapi_minimax_source_requests_total{source="${source}",outcome="success"}`),
        source,
      ).toBe(1);
    }
  });
});
