/** Writes docs/lifecycle.md from the lifecycle table. */
import { writeFileSync } from 'node:fs';
import { lifecycleMarkdown } from '../src/domain/lifecycle/graph.js';

writeFileSync(new URL('../docs/lifecycle.md', import.meta.url), lifecycleMarkdown());
console.log('docs/lifecycle.md written');
