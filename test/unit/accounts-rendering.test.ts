import { Gauge, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { AccountConfig } from "../../src/sources/accounts/answer.js";
import { createAccountMetrics } from "../../src/sources/accounts/families.js";

/** The accounts' families as prom-client's own Gauges rendered them, to compare with. */
function gaugeRendering(accounts: readonly AccountConfig[]): Promise<string> {
  const registry = new Registry();
  const gauge = (name: string, labelNames: string[]) =>
    new Gauge({ name, help: "h", labelNames, registers: [registry] });
  const maxJobs = gauge("useapi_minimax_account_max_jobs", ["account"]);
  const expiry = gauge("useapi_minimax_account_session_expiry_timestamp_seconds", ["account"]);
  const error = gauge("useapi_minimax_account_error", ["account"]);
  const info = gauge("useapi_minimax_account_info", ["account", "video", "music", "chat", "audio"]);
  const flag = (v: boolean | undefined) => (v === undefined ? "" : String(v));
  for (const a of accounts) {
    const labels = { account: a.account };
    if (a.maxJobs !== undefined) maxJobs.set(labels, a.maxJobs);
    if (a.sessionExpirySeconds !== undefined) expiry.set(labels, a.sessionExpirySeconds);
    error.set(labels, a.inError ? 1 : 0);
    const c = a.capabilities;
    info.set(
      {
        account: a.account,
        video: flag(c.supportVideo),
        music: flag(c.supportMusic),
        chat: flag(c.supportChat),
        audio: flag(c.supportAudio),
      },
      1,
    );
  }
  return registry.metrics();
}

async function rendering(sets: readonly (readonly AccountConfig[])[]): Promise<string> {
  const registry = new Registry();
  const metrics = createAccountMetrics(registry);
  for (const accounts of sets) metrics.apply(accounts);
  // Only the sample lines are compared: the HELP texts are the module's own.
  return registry.metrics();
}

const samples = (text: string) => text.split("\n").filter((line) => !line.startsWith("# HELP"));

const account = (id: string, over: Partial<AccountConfig> = {}): AccountConfig => ({
  account: id,
  maxJobs: 3,
  sessionExpirySeconds: 1734858598.864,
  inError: false,
  capabilities: {
    supportVideo: true,
    supportMusic: false,
    supportChat: undefined,
    supportAudio: true,
  },
  ...over,
});

describe("the accounts' families", () => {
  const odd = [
    account("123456"),
    account('quo"te\\back\nslash', { maxJobs: undefined, inError: true }),
    account("234567", { sessionExpirySeconds: undefined, maxJobs: 0 }),
    account("345678", { sessionExpirySeconds: -0.5, maxJobs: 1e21 }),
  ];

  it("render byte for byte as prom-client's Gauges, escapes and missing values included", async () => {
    expect(samples(await rendering([odd]))).toEqual(samples(await gaugeRendering(odd)));
  });

  it("replace every series at each answer, down to none", async () => {
    expect(samples(await rendering([odd, [account("999")]]))).toEqual(
      samples(await gaugeRendering([account("999")])),
    );
    expect(samples(await rendering([odd, []]))).toEqual(samples(await gaugeRendering([])));
  });
});
