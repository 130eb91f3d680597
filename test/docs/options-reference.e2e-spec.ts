import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOptionsReference, updatedReadme } from '../../scripts/options-reference.mjs';

describe('the README configuration reference', () => {
  const reference = renderOptionsReference();

  it('documents every option with a description and, when optional, a @default', () => {
    expect(reference.problems).toEqual([]);
  });

  it('is the one generated from the option interfaces (run `npm run docs:options` after changing them)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(updatedReadme(readme, reference.markdown) === readme).toBe(true);
  });
});
