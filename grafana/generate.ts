import { writeFileSync } from "node:fs";
import { stdout } from "node:process";
import { URL, fileURLToPath } from "node:url";
import { buildDashboard, serializeDashboard } from "./dashboard.js";

// Runs compiled, from grafana/dist/ (npm run dashboard).
const target = fileURLToPath(new URL("../dashboard.json", import.meta.url));

writeFileSync(target, await serializeDashboard(buildDashboard()));
stdout.write(`wrote ${target}\n`);
