import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface MediaType {
  schema?: JsonObject;
  example?: Json;
  examples?: Record<string, { value: Json }>;
}
export interface OpenApiResponse {
  description: string;
  content?: Record<string, MediaType>;
}
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  example?: Json;
  examples?: Record<string, { value: Json }>;
}
export interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, OpenApiResponse>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonObject> };
}

/** A documented operation a request reached. */
export interface MatchedOperation {
  method: string;
  template: string;
  operation: OpenApiOperation;
}

/** What the validator needs of a response. */
export interface ResponseToCheck {
  status: number;
  contentType: string | undefined;
  /** Parsed JSON, or the text of a non-JSON body; undefined when the body is empty. */
  body: unknown;
}

const SCHEMAS_ID = 'openapi-schemas';
// RFC 9562 (which obsoletes RFC 4122): a version nibble 1–8 and the 10xx variant. Stricter than
// ajv-formats' uuid, which takes any 32 hex digits, and what zod-validating generators check.
const RFC_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SUBSCHEMAS = new Set(['items', 'additionalProperties', 'not']);

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` becomes a null type, and
 * references point into the schemas registered under SCHEMAS_ID.
 */
export function toJsonSchema(schema: JsonObject): JsonObject {
  const { nullable, ...rest } = schema;
  const converted: JsonObject = {};
  for (const [keyword, value] of Object.entries(rest)) {
    if (keyword === '$ref' && typeof value === 'string') {
      converted.$ref = value.replace('#/components/schemas/', `${SCHEMAS_ID}#/definitions/`);
    } else if (SUBSCHEMA_MAPS.has(keyword)) {
      converted[keyword] = Object.fromEntries(
        Object.entries(value as JsonObject).map(([name, sub]) => [
          name,
          toJsonSchema(sub as JsonObject),
        ]),
      );
    } else if (SUBSCHEMA_LISTS.has(keyword)) {
      converted[keyword] = (value as JsonObject[]).map(toJsonSchema);
    } else if (SUBSCHEMAS.has(keyword) && typeof value === 'object' && value !== null) {
      converted[keyword] = toJsonSchema(value as JsonObject);
    } else {
      converted[keyword] = value;
    }
  }
  if (nullable !== true) {
    return converted;
  }
  if (typeof converted.type === 'string') {
    const withNull: JsonObject = { ...converted, type: [converted.type, 'null'] };
    if (Array.isArray(converted.enum)) {
      withNull.enum = [...converted.enum, null];
    }
    return withNull;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Whether a is more specific than b: more literal segments, then a literal where b has a parameter. */
function moreSpecific(a: string, b: string): number {
  const literals = (template: string) => segmentsOf(template).map((s) => !s.startsWith('{'));
  const [la, lb] = [literals(a), literals(b)];
  const count = (l: boolean[]) => l.filter(Boolean).length;
  if (count(la) !== count(lb)) {
    return count(lb) - count(la);
  }
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      return la[i] ? -1 : 1;
    }
  }
  return 0;
}

/** Checks requests and responses against an OpenAPI 3.0 document with ajv. */
export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly templates: { template: string; pattern: RegExp }[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(this.ajv);
    this.ajv.addFormat('uuid', RFC_UUID);
    // OpenAPI's annotation keywords, which JSON Schema does not have.
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs']);
    const definitions: JsonObject = {};
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      definitions[name] = toJsonSchema(schema);
    }
    this.ajv.addSchema({ $id: SCHEMAS_ID, definitions });
    // `{key}` may hold raw slashes (the contract allows config/db/host as well as
    // config%2Fdb%2Fhost); every other parameter is one segment.
    this.templates = Object.keys(document.paths)
      .sort(moreSpecific)
      .map((template) => ({
        template,
        pattern: new RegExp(
          `^${template
            .split(/(\{\w+\})/)
            .map((part) =>
              part === '{key}'
                ? '(.+)'
                : /^\{\w+\}$/.test(part)
                  ? '([^/]+)'
                  : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join('')}$`,
        ),
      }));
  }

  /** The documented operation that a request reaches, or undefined if the spec has none. */
  match(method: string, url: string): MatchedOperation | undefined {
    const path = url.split('?')[0];
    const lower = method.toLowerCase();
    for (const { template, pattern } of this.templates) {
      const operation = this.document.paths[template][lower];
      if (operation && pattern.test(path)) {
        return { method: lower, template, operation };
      }
    }
    return undefined;
  }

  /** The schema at a JSON pointer into the document, compiled once. */
  validatorOf(pointer: string, schema: JsonObject): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.compiled.set(pointer, validate);
    }
    return validate;
  }

  /** Validates a value against a schema; returns what is wrong, or undefined. */
  check(pointer: string, schema: JsonObject, value: unknown): string | undefined {
    const validate = this.validatorOf(pointer, schema);
    return validate(value) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }

  /**
   * What is wrong with a response to a documented operation: an undocumented status, a media
   * type or body the spec does not describe. Undefined when it conforms.
   */
  checkResponse(matched: MatchedOperation, response: ResponseToCheck): string | undefined {
    const { method, template, operation } = matched;
    const where = `${method.toUpperCase()} ${template} → ${response.status}`;
    const status = String(response.status);
    const documented =
      operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? undefined;
    if (!documented) {
      return `${where}: status not documented (${Object.keys(operation.responses).join(', ')})`;
    }
    const hasBody = response.body !== undefined && response.body !== '';
    if (!documented.content) {
      return hasBody ? `${where}: a body where the spec documents none` : undefined;
    }
    const mediaType = response.contentType?.split(';')[0].trim().toLowerCase();
    const content = mediaType === undefined ? undefined : documented.content[mediaType];
    if (!content) {
      return `${where}: media type ${mediaType ?? '(none)'} not documented (${Object.keys(documented.content).join(', ')})`;
    }
    if (!content.schema) {
      return undefined;
    }
    const pointer = `${template} ${method} ${status} ${mediaType}`;
    const problem = this.check(pointer, content.schema, response.body);
    return problem === undefined ? undefined : `${where}: ${problem}`;
  }
}

let shared: OpenApiValidator | undefined;

/** The validator of the committed openapi.json, made once per test file. */
export function openApiValidator(): OpenApiValidator {
  shared ??= new OpenApiValidator(
    JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
    ) as OpenApiDocument,
  );
  return shared;
}
