import { MetricRegistry } from "../../src/metrics/registry.js";
import { ownLabel } from "../../src/metrics/label-value.js";
import { describe, expect, it } from "vitest";
import type { AccountConfig } from "../../src/sources/accounts/answer.js";
import { registerAccountFamilies } from "../../src/sources/accounts/families.js";

/** The sample lines of the accounts' families after each state in turn, as /metrics shows them. */
async function rendering(states: readonly (readonly AccountConfig[])[]): Promise<string[]> {
  const registry = new MetricRegistry();
  let exported: readonly AccountConfig[] = [];
  registerAccountFamilies(registry, () => exported);
  let text = "";
  for (const state of states) {
    exported = state;
    text = await registry.metrics();
  }
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

const account = (id: string, over: Partial<AccountConfig> = {}): AccountConfig => ({
  account: ownLabel(id),
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
    account('quo"te\\back\\slash', { maxJobs: undefined, inError: true }),
    account("234567", { sessionExpirySeconds: undefined, maxJobs: 0 }),
  ];

  it("write each account's values, escape its ID and leave out what was not reported", async () => {
    const escaped = 'quo\\"te\\\\back\\\\slash';
    expect(await rendering([odd])).toEqual([
      'useapi_minimax_account_max_jobs{account="123456"} 3',
      'useapi_minimax_account_max_jobs{account="234567"} 0',
      'useapi_minimax_account_session_expiry_timestamp_seconds{account="123456"} 1734858598.864',
      `useapi_minimax_account_session_expiry_timestamp_seconds{account="${escaped}"} 1734858598.864`,
      'useapi_minimax_account_error{account="123456"} 0',
      `useapi_minimax_account_error{account="${escaped}"} 1`,
      'useapi_minimax_account_error{account="234567"} 0',
      'useapi_minimax_account_info{account="123456",video="true",music="false",chat="",audio="true"} 1',
      `useapi_minimax_account_info{account="${escaped}",video="true",music="false",chat="",audio="true"} 1`,
      'useapi_minimax_account_info{account="234567",video="true",music="false",chat="",audio="true"} 1',
    ]);
  });

  it("replace every series at each answer, down to none", async () => {
    expect(await rendering([odd, [account("999", { inError: true })]])).toEqual([
      'useapi_minimax_account_max_jobs{account="999"} 3',
      'useapi_minimax_account_session_expiry_timestamp_seconds{account="999"} 1734858598.864',
      'useapi_minimax_account_error{account="999"} 1',
      'useapi_minimax_account_info{account="999",video="true",music="false",chat="",audio="true"} 1',
    ]);
    expect(await rendering([odd, []])).toEqual([]);
  });
});
