import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../infra/local/paths';
import { buildOpenApiDocument } from './openapi';

const target = join(REPO_ROOT, 'docs', 'openapi.json');
await writeFile(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
