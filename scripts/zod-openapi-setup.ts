import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds `.openapi()` to zod in the generator's process only (the Lambdas never load it). It must run
// before any schema module is evaluated, so it is the generator's first import.
extendZodWithOpenApi(z);
