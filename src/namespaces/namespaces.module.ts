import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespaceCache } from './namespace-cache';
import { NamespaceLookup } from './namespace-lookup.service';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesController } from './namespaces.controller';
import { NamespacesService } from './namespaces.service';

@Module({
  imports: [TypeOrmModule.forFeature([NamespaceEntity])],
  controllers: [NamespacesController],
  providers: [NamespacesService, NamespaceLookup, NamespaceCache],
  exports: [NamespaceLookup],
})
export class NamespacesModule {}
