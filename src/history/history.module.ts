import { Module } from '@nestjs/common';
import { EntryStoreModule } from '../entries/store/entry-store.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { ChangesController } from './changes.controller';
import { ChangesService } from './changes.service';
import { HistoryRetention } from './history-retention.service';
import { WatchHub } from './watch-hub.service';

/** A namespace's history by revision: the watch of its changes, and its retention. */
@Module({
  imports: [EntryStoreModule, NamespacesModule],
  controllers: [ChangesController],
  providers: [ChangesService, WatchHub, HistoryRetention],
})
export class HistoryModule {}
