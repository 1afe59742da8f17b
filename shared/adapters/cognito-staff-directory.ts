import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { NotFoundError } from '../domain/errors';
import type { StaffDirectory } from '../ports/repositories';

/**
 * The staff directory in the Cognito user pool. A staff member's id is the token's `sub`, which the admin API
 * accepts as the user name (the pool signs in with e-mail aliases).
 */
export class CognitoStaffDirectory implements StaffDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  disable(userId: string): Promise<void> {
    return this.run(userId, () => this.cognito.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: userId })));
  }

  enable(userId: string): Promise<void> {
    return this.run(userId, () => this.cognito.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: userId })));
  }

  signOut(userId: string): Promise<void> {
    return this.run(userId, () => this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: userId })));
  }

  private async run(userId: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (error instanceof UserNotFoundException) throw new NotFoundError(`the user pool has no user ${userId}`, [], { cause: error });
      throw error;
    }
  }
}

/**
 * Local mode has no user pool: users exist by the tokens the local issuer signs, so there is nothing to disable
 * there; the table's status alone decides (as it does first in AWS too).
 */
export const localStaffDirectory: StaffDirectory = {
  disable: async () => undefined,
  enable: async () => undefined,
  signOut: async () => undefined,
};
