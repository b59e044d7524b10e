import {
  ApplicationId,
  DefaultTtlSeconds,
  Description,
  HistoryRetentionDays,
  IsSecretNamespace,
  MaxVersions,
  NamespaceName,
} from './namespace-field.decorators';

/** Partial update: absent fields keep their value; applicationId and isSecretNamespace may only repeat theirs. */
export class UpdateNamespaceDto {
  @NamespaceName(false)
  name?: string;

  @Description()
  description?: string | null;

  @DefaultTtlSeconds()
  defaultTtlSeconds?: number | null;

  @MaxVersions()
  maxVersions?: number | null;

  @HistoryRetentionDays()
  historyRetentionDays?: number | null;

  @ApplicationId(false, 'Immutable: accepted only if equal to the current value')
  applicationId?: string;

  @IsSecretNamespace('Immutable: accepted only if equal to the current value')
  isSecretNamespace?: boolean;
}
