/**
 * The CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). The only place that reads the
 * environment; everything else comes from CDK context through `buildApp`.
 */
import { buildApp } from './app-builder';

buildApp({ account: process.env['CDK_DEFAULT_ACCOUNT'] }).app.synth();
