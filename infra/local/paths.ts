import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Git-ignored state of `npm start` (VIGIE_HOME moves it); `--fresh` wipes `data/` but keeps the issuer
 * key so tokens stay valid. `data.lock` names the one `npm start` using `data/`; it sits beside `data/`, which
 * `--fresh` removes.
 */
export const LOCAL_HOME = process.env['VIGIE_HOME'] ?? join(REPO_ROOT, '.vigie-local');
export const localPaths = (home: string = LOCAL_HOME) => ({
  home,
  data: join(home, 'data'),
  dataLock: join(home, 'data.lock'),
  dynamo: join(home, 'data', 'dynamodb'),
  s3: join(home, 'data', 's3'),
  issuerKey: join(home, 'issuer', 'signing-key.json'),
});
