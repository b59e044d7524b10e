import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditAction } from '../audit/audit-action.enum';
import { Audit } from '../audit/audit-context.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Audited } from '../audit/audited.decorator';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { REVISION_HEADER_DOC, sendRevision } from '../common/http/revision-header';
import { uuidParam } from '../common/validation/uuid.pipe';
import type { KvConfig } from '../config/kv-config.types';
import { NAMESPACE_PARAM } from '../entries/dto/entry-route-params';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal as Caller } from '../permissions/principal';
import { Principal } from '../permissions/principal.decorator';
import { RequirePermissions } from '../permissions/require-permissions.decorator';
import { ChangesService } from './changes.service';
import { ChangesPageDto } from './dto/changes-page.dto';
import { ChangesQueryDto } from './dto/changes-query.dto';
import { SseStream } from './sse-stream';

const STREAM_DESCRIPTION = [
  'With `Accept: text/event-stream`, a stream of Server-Sent Events: `change` (id: the',
  'revision; data: `{ revision, items }`, one revision per event), `heartbeat` (id and data:',
  'the revision every change up to which was sent), and before the stream is cut, `overflow`',
  '(the client read too slowly) or `compacted` (its position left the history kept), each',
  'with the revision to resume from. Reconnect with `Last-Event-ID` to resume.',
].join(' ');

@ApiTags('history')
@ApiProblemResponses(503)
@ApiExtraModels(ChangesPageDto)
@Controller(':nsId/changes')
export class ChangesController {
  private readonly maxBufferBytes: number;

  constructor(
    private readonly changes: ChangesService,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxBufferBytes = config.get('history.maxWatcherBufferBytes', { infer: true });
  }

  @Get()
  @RequirePermissions(KvPermission.NamespaceRead)
  @Audited(AuditAction.WATCH, 'nsId')
  @ApiOperation({
    summary: 'Watch the changes of a namespace by revision: at once, long-poll or a stream',
    description: `The changes after sinceRevision in revision order, never a value; with none, waits up to waitSeconds for the next. ${STREAM_DESCRIPTION}`,
  })
  @ApiParam(NAMESPACE_PARAM)
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'A stream resumes after this revision (it wins over sinceRevision)',
  })
  @ApiOkResponse({
    description: 'The changes (JSON), or the stream',
    headers: REVISION_HEADER_DOC,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ChangesPageDto) } },
      'text/event-stream': { schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses(
    [
      400,
      'Invalid query, sinceRevision ahead of the namespace or a bad Last-Event-ID (VALIDATION_FAILED)',
    ],
    [404, 'No such namespace (NAMESPACE_NOT_FOUND)'],
    [
      410,
      'sinceRevision is older than the history kept; `revision` is the oldest readable (REVISION_COMPACTED)',
    ],
  )
  async watchChanges(
    @Principal() caller: Caller,
    @Audit() audit: AuditContext,
    @Param('nsId', uuidParam('nsId')) namespaceId: string,
    @Query() query: ChangesQueryDto,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (accept?.includes('text/event-stream') === true) {
      const sink = new SseStream(reply, this.maxBufferBytes);
      return this.changes.stream(caller, audit, namespaceId, query, lastEventId, sink);
    }
    const { body, revision } = await this.changes.poll(caller, audit, namespaceId, query);
    sendRevision(reply, revision);
    await reply.send(body);
  }
}
