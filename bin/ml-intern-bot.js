#!/usr/bin/env node
// Entry point of the `ml-intern-bot` command. Runs the compiled CLI when `npm run build` has produced
// it (production, the Docker image), else the TypeScript sources through tsx (a fresh clone, dev).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);

if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  // tsx is a devDependency: only reached where dev dependencies are installed.
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
