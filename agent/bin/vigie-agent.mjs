#!/usr/bin/env node
// `npx vigie-agent` from the repository: runs the TypeScript sources through tsx (the single executables of the
// next issue bundle them instead). The CLI lives in src/cli; this file only starts it.
import { register } from 'tsx/esm/api';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
register();
await import('../src/cli/main.ts');
