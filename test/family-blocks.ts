/** The families of an exposition in order, each with its header and its sorted sample lines. */
export function families(text: string): { header: string; samples: string[] }[] {
  return text
    .trimEnd()
    .split("\n\n")
    .map((block) => {
      const lines = block.split("\n");
      return { header: lines.slice(0, 2).join("\n"), samples: lines.slice(2).sort() };
    });
}
