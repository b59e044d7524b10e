import { KvPermission } from './kv-permission.enum';

/** `"*"` in the applications claim: every application. */
export const ALL_APPLICATIONS = '*';

/** The verified caller: who they are, what they may do, and which applications they may touch. */
export class Principal {
  private readonly permissions: ReadonlySet<string>;
  private readonly applications: ReadonlySet<string>;

  constructor(
    readonly sub: string,
    permissions: readonly string[],
    applications: readonly string[],
  ) {
    this.permissions = new Set(permissions);
    this.applications = new Set(applications);
  }

  has(permission: KvPermission): boolean {
    return this.permissions.has(permission);
  }

  get seesAllApplications(): boolean {
    return this.applications.has(ALL_APPLICATIONS);
  }

  canAccess(applicationId: string): boolean {
    return this.seesAllApplications || this.applications.has(applicationId);
  }

  /** The applications a query must be limited to; undefined when the caller sees them all. */
  get applicationScope(): string[] | undefined {
    return this.seesAllApplications ? undefined : [...this.applications];
  }
}
