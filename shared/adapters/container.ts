import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { jitteredBackoff } from './backoff';
import { CognitoStaffDirectory, localStaffDirectory } from './cognito-staff-directory';
import { parseRuntimeConfig, type RuntimeConfig } from './config';
import { createDocumentClient } from './dynamo/client';
import { DynamoAgentRepository } from './dynamo/agent-repository';
import { DynamoContractRepository } from './dynamo/contract-repository';
import { DynamoInterruptionRepository } from './dynamo/interruption-repository';
import { DynamoStaffRepository } from './dynamo/staff-repository';
import type { Clock } from '../domain/clock';
import { apiKeyFactory, systemClock, ulidGenerator } from './identity';

/** Wires ports to their AWS adapters once per cold start. */
export function createContainer(config: RuntimeConfig) {
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  return {
    config,
    // Lambda: the system clock. Local mode: the runtime's clock, when it gave one (setLocalClock below).
    clock: localClock ?? systemClock,
    backoff: jitteredBackoff(100),
    ids: ulidGenerator,
    keys: apiKeyFactory,
    contracts: new DynamoContractRepository(db, config.TABLE_NAME),
    agents: new DynamoAgentRepository(db, config.TABLE_NAME),
    staff: new DynamoStaffRepository(db, config.TABLE_NAME),
    // Local mode has no user pool: the table's staff status alone decides there.
    directory:
      config.AUTH_MODE === 'local'
        ? localStaffDirectory
        : new CognitoStaffDirectory(new CognitoIdentityProviderClient({ region: config.AWS_REGION }), config.COGNITO_USER_POOL_ID!),
    interruptions: new DynamoInterruptionRepository(db, config.TABLE_NAME),
  };
}

export type Container = ReturnType<typeof createContainer>;

let current: Container | undefined;

/**
 * Local mode only: infra/local/runtime.ts hands its one clock (offset or scaled for simulations, infra/local/clock.ts)
 * to the handlers here, for the container built later and the one already built. Lambda never calls this.
 */
let localClock: Clock | undefined;
export function setLocalClock(clock: Clock | undefined): void {
  localClock = clock;
  if (current) current.clock = clock ?? systemClock;
}

/** The container of this Lambda environment, built from its environment on first use. */
export function container(): Container {
  current ??= createContainer(parseRuntimeConfig(process.env));
  return current;
}
