import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Compiles dist/ once, so the process tests run the same JavaScript that `npm start` runs. */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
