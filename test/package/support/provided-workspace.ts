import { inject } from 'vitest';
import type { PackageWorkspace } from './workspace.js';

/** The workspace the global setup packed, installed and compiled (specs only: the global setup cannot import vitest). */
export function packageWorkspace(): PackageWorkspace {
  return inject('packageWorkspace');
}
