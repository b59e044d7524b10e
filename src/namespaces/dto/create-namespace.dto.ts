import {
  ApplicationId,
  DefaultTtlSeconds,
  Description,
  HistoryRetentionDays,
  IsSecretNamespace,
  MaxVersions,
  NamespaceName,
} from './namespace-field.decorators';

export class CreateNamespaceDto {
  @NamespaceName(true)
  name: string;

  @Description()
  description?: string | null;

  @ApplicationId(true, "Owning application; must be one of the token's applications")
  applicationId: string;

  @IsSecretNamespace('Encrypt and version every value; cannot be changed later. Default false')
  isSecretNamespace?: boolean;

  @DefaultTtlSeconds()
  defaultTtlSeconds?: number | null;

  @MaxVersions()
  maxVersions?: number | null;

  @HistoryRetentionDays()
  historyRetentionDays?: number | null;
}
