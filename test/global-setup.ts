import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Runs `npm run build` once, so the process tests run the dist/ (and runbook page) `npm start` runs. */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
}
