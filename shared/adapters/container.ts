import { jitteredBackoff } from './backoff';
import { parseRuntimeConfig, type RuntimeConfig } from './config';
import { createDocumentClient } from './dynamo/client';
import { DynamoAgentRepository } from './dynamo/agent-repository';
import { DynamoContractRepository } from './dynamo/contract-repository';
import { DynamoInterruptionRepository } from './dynamo/interruption-repository';
import { DynamoStaffScopeRepository } from './dynamo/staff-scope-repository';
import { apiKeyFactory, systemClock, ulidGenerator } from './identity';

/** Wires ports to their AWS adapters once per cold start. */
export function createContainer(config: RuntimeConfig) {
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  return {
    config,
    clock: systemClock,
    backoff: jitteredBackoff(100),
    ids: ulidGenerator,
    keys: apiKeyFactory,
    contracts: new DynamoContractRepository(db, config.TABLE_NAME),
    agents: new DynamoAgentRepository(db, config.TABLE_NAME),
    staffScopes: new DynamoStaffScopeRepository(db, config.TABLE_NAME),
    interruptions: new DynamoInterruptionRepository(db, config.TABLE_NAME),
  };
}

export type Container = ReturnType<typeof createContainer>;

let current: Container | undefined;

/** The container of this Lambda environment, built from its environment on first use. */
export function container(): Container {
  current ??= createContainer(parseRuntimeConfig(process.env));
  return current;
}
