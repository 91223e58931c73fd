import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config.js";
import { mergeFlags } from "../stack.js";
import { get, startStack, TOKEN } from "../harness.js";

describe("the test stack", () => {
  it("reads its flags through the real parser, the caller's replacing the harness's", async () => {
    const stack = await startStack({
      flags: ["--poll.interval=30m", "--jobs.resolve-status=true", "--jobs.lookup-rate=7"],
    });
    try {
      expect(stack.config).toMatchObject({
        pollIntervalMs: 1_800_000,
        staleAfterMs: 9_000_000,
        baseUrl: stack.simulator.url,
        token: TOKEN,
      });
      const lookups = stack.config.sources.find((s) => s.module.name === "job_status");
      expect(lookups?.settings).toEqual({ concurrency: 2, ratePerSecond: 7 }); // not the harness's 50
      expect((await get(`${stack.exporter.url}/-/healthy`)).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it("refuses flags the exporter refuses at startup, and closes its simulator", async () => {
    let simulatorUrl = "";
    const started = startStack({
      flags: ["--poll.interval=100ms"],
      before: (simulator) => {
        simulatorUrl = simulator.url;
      },
    });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(
      /^--poll\.timeout: \S+ must be shorter than --poll\.interval \(\S+\)$/,
    );
    await expect(get(`${simulatorUrl}/`)).rejects.toThrow();
  });

  it("merges flags by name: the caller's replace the harness's, in either form, and a repeat within the caller's is refused", async () => {
    expect(
      mergeFlags(
        ["--poll.interval=1h", "--poll.timeout", "1s", "--demo", "--log.level=info"],
        ["--poll.timeout=2s", "--poll.interval", "2h", "--demo"],
      ),
    ).toEqual(["--log.level=info", "--poll.timeout=2s", "--poll.interval", "2h", "--demo"]);
    const stack = await startStack({ flags: ["--poll.timeout", "3s"] });
    try {
      expect(stack.config.pollTimeoutMs).toBe(3000);
    } finally {
      await stack.close();
    }
    await expect(
      startStack({ flags: ["--poll.interval=2h", "--poll.interval=3h"] }),
    ).rejects.toThrow("--poll.interval: given more than once");
  });

  it("reads the token from the environment it is given", async () => {
    await expect(startStack({ env: {} })).rejects.toThrow("no token");
  });
});
