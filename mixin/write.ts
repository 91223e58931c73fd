import { writeFileSync } from "node:fs";
import { stdout } from "node:process";
import { fileURLToPath } from "node:url";
import { renderMixin } from "./render.js";

// Runs compiled, from mixin/dist/ (npm run mixin).
const root = new URL("../../", import.meta.url);
for (const [path, text] of Object.entries(await renderMixin(root))) {
  const target = fileURLToPath(new URL(path, root));
  writeFileSync(target, text);
  stdout.write(`wrote ${path}\n`);
}
