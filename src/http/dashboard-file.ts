import { readFileSync } from "node:fs";

/** grafana/dashboard.json (beside src/ and dist/), served as is; undefined when not packaged. */
export function loadDashboard(): Buffer | undefined {
  try {
    return readFileSync(new URL("../../grafana/dashboard.json", import.meta.url));
  } catch {
    return undefined;
  }
}
