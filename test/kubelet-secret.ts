/** A Secret volume laid out as the kubelet writes it, and updated as the kubelet updates it. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KubeletSecret {
  /** The mount point: `<key>` -> `..data/<key>`, `..data` -> the current timestamped directory. */
  dir: string;
  /** Swaps in new contents as the kubelet's atomic writer does, removing the old directory. */
  update(files: Readonly<Record<string, string>>): void;
}

export function kubeletSecret(files: Readonly<Record<string, string>>): KubeletSecret {
  const dir = mkdtempSync(join(tmpdir(), "secret-volume-"));
  let generation = 0;
  let current: string | undefined;

  const writeGeneration = (contents: Readonly<Record<string, string>>): string => {
    generation += 1;
    const name = `..2026_12_01_10_00_${String(generation).padStart(2, "0")}.000000001`;
    mkdirSync(join(dir, name));
    for (const [key, text] of Object.entries(contents)) writeFileSync(join(dir, name, key), text);
    return name;
  };

  current = writeGeneration(files);
  symlinkSync(current, join(dir, "..data"));
  for (const key of Object.keys(files)) symlinkSync(join("..data", key), join(dir, key));

  return {
    dir,
    update(contents) {
      const next = writeGeneration(contents);
      symlinkSync(next, join(dir, "..data_tmp"));
      renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
      if (current !== undefined) rmSync(join(dir, current), { recursive: true });
      current = next;
    },
  };
}
