import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { KvConfig } from './kv-config.types';

/** Makes the configuration validated in main.ts injectable as ConfigService<KvConfig, true>. */
@Module({})
export class KvConfigModule {
  static forRoot(config: KvConfig): DynamicModule {
    return {
      module: KvConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => config],
        }),
      ],
    };
  }
}
