import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { EntriesController } from './entries.controller';
import { EntriesService } from './entries.service';
import { EntryEntity } from './entry.entity';
import { TtlSweeper } from './ttl-sweeper.service';

@Module({
  imports: [TypeOrmModule.forFeature([EntryEntity]), NamespacesModule],
  controllers: [EntriesController],
  providers: [EntriesService, TtlSweeper],
})
export class EntriesModule {}
