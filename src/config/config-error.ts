/** Invalid configuration; the message is one line naming the flag and the problem. */
export class ConfigError extends Error {
  constructor(flag: string, problem: string) {
    super(`${flag}: ${problem}`);
    this.name = "ConfigError";
  }
}
