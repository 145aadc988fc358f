import { detectBwrap } from '../../src/tools/code/bash-tool.js';

/**
 * Tests of the bubblewrap sandbox need `bwrap`. On a developer's machine without it they are
 * skipped (vitest lists them as skipped); in CI (`CI=true`), where `.ci/run` installs it, never:
 * there a missing bwrap fails them.
 */
export const skipWithoutBwrap = detectBwrap() === false && process.env.CI !== 'true';
