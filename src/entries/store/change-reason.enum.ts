/** Why a secret entry got a new version. */
export enum ChangeReason {
  CREATE = 'create',
  UPDATE = 'update',
  ROTATION = 'rotation',
  ROLLBACK = 'rollback',
  /** The last version of a deleted or expired entry, brought back. */
  RESTORE = 'restore',
}
