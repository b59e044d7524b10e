import { ApplicationId, NamespaceName } from './namespace-field.decorators';

export class NamespaceByNameQueryDto {
  @ApplicationId(true, 'The application owning the namespace')
  applicationId: string;

  @NamespaceName(true)
  name: string;
}
