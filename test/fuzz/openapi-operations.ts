/**
 * The operations of the published OpenAPI document (docs/openapi.json), reduced to what the fuzz test
 * needs: method, path template, who may call it, and the JSON schemas of its parameters and body, with
 * every `$ref` resolved. The fuzz test reads the document a client reads, not the zod schemas behind it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The subset of JSON Schema that the document uses. */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  $ref?: string;
}

export interface FuzzParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** Who may call an operation, as the gateway enforces it. */
export type FuzzAuth = 'public' | 'optional' | 'user' | 'admin';

export interface FuzzOperation {
  /** `GET /api/products/{id}`, as in the document. */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path template: `/api/products/{id}`. */
  path: string;
  auth: FuzzAuth;
  pathParams: FuzzParameter[];
  query: FuzzParameter[];
  headers: FuzzParameter[];
  /** The JSON body's schema, when the operation takes one. */
  body?: JsonSchema;
  /** Seconds the server may rightly wait before it answers (`Prefer: wait=N`), from the header's description. */
  documentedWaitSeconds: number;
}

export const OPENAPI_DOCUMENT_PATH = path.resolve(__dirname, '../../docs/openapi.json');

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonSchema & { description?: string };
}

interface OpenApiOperation {
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Replaces every `$ref` to `#/components/schemas/X` with a copy of X (the document has no cycles in inputs). */
function resolveRefs(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 20) throw new Error('schema nesting deeper than 20: a $ref cycle?');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
    return resolveRefs(target, components, depth + 1);
  }
  const resolved: JsonSchema = { ...schema };
  const each = (list?: JsonSchema[]) => list?.map((item) => resolveRefs(item, components, depth + 1));
  if (schema.anyOf) resolved.anyOf = each(schema.anyOf);
  if (schema.oneOf) resolved.oneOf = each(schema.oneOf);
  if (schema.allOf) resolved.allOf = each(schema.allOf);
  if (schema.items) resolved.items = resolveRefs(schema.items, components, depth + 1);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        resolveRefs(property, components, depth + 1),
      ]),
    );
  }
  if (typeof schema.additionalProperties === 'object') {
    resolved.additionalProperties = resolveRefs(schema.additionalProperties, components, depth + 1);
  }
  return resolved;
}

/**
 * Public operations carry no `security`; optional ones list an empty requirement beside the bearer;
 * the admin role is the gateway's rule for everything under /api/admin.
 */
function authOf(pathTemplate: string, operation: OpenApiOperation): FuzzAuth {
  const security = operation.security;
  if (!security || security.length === 0) return 'public';
  if (security.some((requirement) => Object.keys(requirement).length === 0)) return 'optional';
  return pathTemplate.startsWith('/api/admin/') ? 'admin' : 'user';
}

function documentedWait(parameters: OpenApiParameter[]): number {
  const prefer = parameters.find((parameter) => parameter.in === 'header' && parameter.name === 'prefer');
  const description = prefer?.schema?.description ?? prefer?.description ?? '';
  const most = /at most (\d+)/.exec(description);
  return most ? Number(most[1]) : 0;
}

/** Every operation of the document, in document order. */
export function loadFuzzOperations(file = OPENAPI_DOCUMENT_PATH): FuzzOperation[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  const components = document.components?.schemas ?? {};
  const operations: FuzzOperation[] = [];
  for (const [pathTemplate, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = operation.parameters ?? [];
      const pick = (place: OpenApiParameter['in']) =>
        parameters
          .filter((parameter) => parameter.in === place)
          .map((parameter) => ({
            name: parameter.name,
            required: parameter.required === true || place === 'path',
            schema: resolveRefs(parameter.schema ?? {}, components),
          }));
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        key: `${method.toUpperCase()} ${pathTemplate}`,
        method: method.toUpperCase() as FuzzOperation['method'],
        path: pathTemplate,
        auth: authOf(pathTemplate, operation),
        pathParams: pick('path'),
        query: pick('query'),
        headers: pick('header'),
        body: bodySchema ? resolveRefs(bodySchema, components) : undefined,
        documentedWaitSeconds: documentedWait(parameters),
      });
    }
  }
  return operations;
}
