/** The monitoring mixin's render (mixin/render.ts), for tests that need Debian's jsonnet. */
import {
  evaluateMixin,
  renderMixin as render,
  type MixinOutputs,
  type RenderedFiles,
} from "../mixin/render.js";
import { haveBinary } from "./binaries.js";

export type { MixinOutputs, RenderedFiles };

export const HAVE_JSONNET = haveBinary("jsonnet", "jsonnet");

const ROOT = new URL("..", import.meta.url);

/** This repository's mixin rendered with `config` merged into its _config. */
export const renderMixin = (config: Record<string, unknown> = {}): Promise<RenderedFiles> =>
  render(ROOT, config);

/** This repository's mixin evaluated with `config` merged into its _config: its outputs as values. */
export const mixinOutputs = (config: Record<string, unknown> = {}): MixinOutputs =>
  evaluateMixin(ROOT, config);
