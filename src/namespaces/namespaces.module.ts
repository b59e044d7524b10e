import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesController } from './namespaces.controller';
import { NamespacesService } from './namespaces.service';

@Module({
  imports: [TypeOrmModule.forFeature([NamespaceEntity])],
  controllers: [NamespacesController],
  providers: [NamespacesService],
  exports: [NamespacesService],
})
export class NamespacesModule {}
