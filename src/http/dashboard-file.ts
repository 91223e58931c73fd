import { readFileSync } from "node:fs";

/**
 * The Grafana dashboard shipped in grafana/dashboard.json (src/ and dist/ sit beside grafana/; this file is one folder down),
 * served at /grafana/dashboard.json; undefined when the file is not packaged.
 */
export function loadDashboard(): Buffer | undefined {
  try {
    return readFileSync(new URL("../../grafana/dashboard.json", import.meta.url));
  } catch {
    return undefined;
  }
}
