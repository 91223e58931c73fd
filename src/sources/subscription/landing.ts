import { escapeHtml, pageTime } from "../common/html.js";
import { MINIMAX_API, type SubscriptionAnswer } from "./answer.js";

const shown = (value: number | undefined) => (value === undefined ? "not reported" : String(value));

/** The subscription's part of the landing page: numbers and a date only, no personal field. */
export function subscriptionLanding(
  answer: SubscriptionAnswer | undefined,
  takenAtMs: number | undefined,
): string {
  const title = "<h2>useapi.net subscription</h2>";
  if (answer === undefined || takenAtMs === undefined) return `${title}\n<p>Not read yet.</p>\n`;
  const renewed =
    answer.renewedSeconds === undefined
      ? "not reported"
      : new Date(answer.renewedSeconds * 1000).toISOString().slice(0, 10);
  const minimax = answer.apis.find((a) => a.api === MINIMAX_API);
  const [total, active, error] = minimax?.counts ?? [];
  const accounts =
    minimax === undefined
      ? `${escapeHtml(MINIMAX_API)} accounts: not listed.`
      : `${escapeHtml(MINIMAX_API)} accounts: ${shown(total)} total, ${shown(active)} active, ${shown(error)} in error.`;
  return `${title}
<p>${answer.active ? "Active" : "<strong>Inactive</strong>: every useapi.net API stops"} at ${pageTime(takenAtMs)}. Subscriptions: ${shown(answer.subscriptions)}, up to ${shown(answer.maxAccountsPerApi)} accounts per API. Last renewed: ${renewed}.</p>
<p>${accounts}</p>
`;
}
