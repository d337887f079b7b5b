/**
 * fast-check arbitraries that turn one OpenAPI operation into malformed requests: a request that is
 * valid by the schema, with one thing made wrong — a parameter or body field of the wrong type, out of
 * range or far too long, a date from year 0100 or 9999, a path parameter with a bad percent-escape, a
 * duplicated or bracketed query parameter, a body that is not JSON, 10,000 levels deep, or
 * compressed wrongly. The requests are raw (target, header pairs, body bytes) so that nothing between
 * the generator and the gateway normalises them.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { FuzzOperation, FuzzParameter, JsonSchema } from './openapi-operations';

/** The kinds of damage a request can carry; FUZZ_KINDS picks a subset. */
export const MUTATION_KINDS = [
  'valid',
  'path-value',
  'path-escape',
  'query-value',
  'query-shape',
  'header',
  'body-field',
  'body-shape',
  'body-encoding',
  'credential',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** A request as it goes on the wire; `credential` is resolved to a token by the sender. */
export interface FuzzRequest {
  kind: MutationKind;
  /** What was changed, for the failure report: `query from=0999-12-31`. */
  mutation: string;
  method: string;
  /** The request target, sent byte for byte: path and query, already percent-encoded (or broken on purpose). */
  target: string;
  /** Header pairs in order; a name may repeat. */
  headers: [string, string][];
  body?: Buffer;
  credential: 'token' | 'none' | 'garbage';
}

/** Ids that exist in the test's database, so that valid-looking requests reach past the not-found checks. */
export interface FuzzPools {
  productIds: number[];
  imageIds: number[];
  orderIds: number[];
  userIds: number[];
  categorySlugs: string[];
}

// ---------------------------------------------------------------------------------------------------
// Encoding and reporting helpers

const clip = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;

/** A request as a failure report shows it: bodies and long values clipped. */
export function describeRequest(request: FuzzRequest): string {
  const headers = request.headers.map(([name, value]) => `${name}: ${clip(value, 80)}`).join(' | ');
  const body = request.body ? JSON.stringify(clip(request.body.toString('latin1'), 200)) : '(none)';
  return [
    `[${request.kind}] ${request.mutation}`,
    `  ${request.method} ${clip(request.target, 400)}`,
    `  headers: ${headers || '(none)'}`,
    `  credential: ${request.credential}`,
    `  body: ${body}`,
  ].join('\n');
}

/** fast-check prints a counterexample with this, not as a dump of every body byte. */
function reportable(request: FuzzRequest): FuzzRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => `\n${describeRequest(request)}` });
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encodes the UTF-8 bytes of a value (a lone surrogate becomes U+FFFD, as on any wire). */
export function percentEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Node refuses control characters and code points above U+00FF in header values: those become '?'. */
export function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

/** `[[[…]]]` (or `{"a":{"a":…}}`) nested `depth` levels, as JSON text: built as text, no recursion. */
export function deepJsonText(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`;
}

/** JSON text that goes in as is where a value goes: nesting too deep for JSON.stringify's recursion. */
class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
  toString(): string {
    return this.label;
  }
}

const RAW_MARKER = `fuzz-raw-${process.pid}-`;

/** JSON.stringify, except that RawJson values are written as their text. */
export function toJsonText(value: unknown): string {
  const raws: RawJson[] = [];
  const text =
    JSON.stringify(value, (_key, item: unknown) =>
      item instanceof RawJson ? `${RAW_MARKER}${raws.push(item) - 1}` : item,
    ) ?? 'null';
  return raws.length === 0
    ? text
    : text.replace(new RegExp(`"${RAW_MARKER}(\\d+)"`, 'g'), (_, index: string) => raws[Number(index)]!.text);
}

/** 10,000 levels of arrays (or objects) as a value. */
const deepArray = new RawJson(deepJsonText(10_000, 'array'), '[[[…]]] 10k deep');
const deepObject = new RawJson(deepJsonText(10_000, 'object'), '{"a":{"a":…}} 10k deep');

// ---------------------------------------------------------------------------------------------------
// Values that fit a schema

const DATE_NAMES = new Set(['from', 'to', 'since', 'until', 'date', 'day']);
const isDateLike = (schema: JsonSchema, name: string) =>
  schema.format === 'date' ||
  schema.format === 'date-time' ||
  (schema.type === 'string' && !schema.pattern && !schema.enum && DATE_NAMES.has(name)) ||
  (schema.anyOf?.some((option) => option.format === 'date-time') ?? false);

const validDate = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(
      date.toISOString().slice(0, 10),
      date.toISOString(),
      `${date.toISOString().slice(0, 19)}+09:00`,
    ),
  );

/** Parameters and properties named like an id take one that exists now and then. */
function idFromPool(name: string, pools: FuzzPools): number[] | undefined {
  if (name === 'productId') return pools.productIds;
  if (name === 'imageId') return pools.imageIds;
  if (name === 'userId') return pools.userIds;
  return undefined;
}

function pathIdPool(operation: FuzzOperation, name: string, pools: FuzzPools): number[] {
  if (name !== 'id') return idFromPool(name, pools) ?? [];
  if (operation.path.includes('/products/')) return pools.productIds;
  if (operation.path.includes('/orders/')) return pools.orderIds;
  if (operation.path.includes('/users/')) return pools.userIds;
  return [];
}

/** A value the schema accepts (as far as its keywords say), kept small. */
export function validValue(
  schema: JsonSchema,
  name: string,
  pools: FuzzPools,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options && options.length > 0) {
    if (isDateLike(schema, name)) return validDate;
    return fc.oneof(...options.map((option) => validValue(option, name, pools, depth + 1)));
  }
  if (isDateLike(schema, name)) return validDate;
  const pool = idFromPool(name, pools);
  switch (schema.type) {
    case 'string': {
      if (name === 'category' && pools.categorySlugs.length > 0)
        return fc.constantFrom(...pools.categorySlugs);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: 64 });
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 24, 24)),
      });
    }
    case 'integer':
    case 'number': {
      const min =
        schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1000);
      const max =
        schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1_000_000);
      const ranged = fc.integer({
        min: Math.max(min, Number.MIN_SAFE_INTEGER),
        max: Math.min(max, Number.MAX_SAFE_INTEGER),
      });
      return pool && pool.length > 0 ? fc.oneof(fc.constantFrom(...pool), ranged) : ranged;
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ?? {};
      const minLength = schema.minItems ?? 0;
      return fc.array(validValue(items, name, pools, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    case 'object':
      return validObject(schema, pools, depth);
    default:
      return fc.constantFrom('x', 1, true);
  }
}

function validObject(
  schema: JsonSchema,
  pools: FuzzPools,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0 && typeof schema.additionalProperties === 'object') {
    return fc.dictionary(
      fc.stringMatching(/^[a-z_]{1,12}$/),
      validValue(schema.additionalProperties, 'value', pools, depth + 1),
      { maxKeys: 3 },
    );
  }
  const model = Object.fromEntries(
    names.map((name) => [name, validValue(properties[name] ?? {}, name, pools, depth + 1)]),
  );
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => names.includes(name)) });
}

// ---------------------------------------------------------------------------------------------------
// Values that do not fit

/** Dates a shop-day calculation must survive: far years, impossible days, odd offsets, not dates at all. */
export const MALFORMED_DATES = [
  '0100-01-01',
  '0999-12-31',
  '9999-12-31',
  '0000-01-01',
  '1899-12-31',
  '1969-12-31',
  '2200-01-01',
  '+010000-01-01',
  '-000001-01-01',
  '+275760-09-13',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-23:59',
  '2026-01-01T00:00:00+99:99',
  '2026-01-01T00:00:00.123456789Z',
  '0999-12-31T15:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2026-01-01 00:00:00',
  '2026-01-01t00:00:00z',
  '20260101',
  '0',
  '-1',
  '1700000000000',
  '8640000000000001',
  'Infinity',
  'NaN',
  'now',
  'today',
  '',
  ' ',
  '2026-01-01\u0000',
];

const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  'x',
  '0',
  'null',
  [],
  {},
  [1],
  { a: 1 },
];

const NASTY_STRINGS = [
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0041',
  '\ufeff',
  '😀'.repeat(200),
  'e\u0301'.repeat(100),
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '%',
  '%00',
  '%ff',
  '\\',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '\r\nX-Injected: 1',
  ' ',
  '\t\n',
  'a'.repeat(50_000) + '!',
  `${'a.'.repeat(20_000)}@${'a.'.repeat(20_000)}`,
  `${'a'.repeat(64)}@${'a'.repeat(255)}.com`,
  'ａｄｍｉｎ@example.com',
];

/** Numbers just outside, and far outside, what an integer schema allows. */
function malformedNumbers(schema: JsonSchema): unknown[] {
  const edges: unknown[] = [
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    -(2 ** 63),
    1e21,
    -0,
    0.5,
    1.0000001,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    '1',
    '01',
    ' 1',
    '0x10',
    '1e3',
    '١٢٣',
  ];
  const min = schema.exclusiveMinimum ?? schema.minimum;
  const max = schema.exclusiveMaximum ?? schema.maximum;
  if (min !== undefined) edges.push(min - 1, schema.exclusiveMinimum ?? min - 0.5);
  if (max !== undefined) edges.push(max + 1, max + 0.5, max * 1000);
  return edges;
}

function overlong(schema: JsonSchema): fc.Arbitrary<string> {
  const max = schema.maxLength ?? 256;
  return fc.constantFrom(max + 1, max * 4, 10_000, 200_000).map((length) => 'x'.repeat(length));
}

/** A value that breaks the schema (or stresses what it allows): one of many families, each shrinkable. */
export function malformedValue(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  const families: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(...WRONG_TYPES),
    fc.constantFrom(...NASTY_STRINGS),
  ];
  if (isDateLike(schema, name))
    families.push(fc.constantFrom(...MALFORMED_DATES), fc.constantFrom(...MALFORMED_DATES));
  const types = [schema.type, ...(schema.anyOf ?? []).map((option) => option.type)];
  if (types.includes('integer') || types.includes('number'))
    families.push(fc.constantFrom(...malformedNumbers(schema)));
  if (types.includes('string')) {
    families.push(overlong(schema));
    if (schema.pattern) {
      families.push(fc.string({ maxLength: 40, unit: 'binary' }));
    }
    if (schema.enum)
      families.push(fc.constantFrom(...schema.enum.map((value) => `${String(value).toLowerCase()} `)));
  }
  if (types.includes('array') || schema.items) {
    const tooMany = (schema.maxItems ?? 100) + 1;
    families.push(
      fc.constantFrom(tooMany, 10_000).map((length) => Array.from({ length }, () => WRONG_TYPES[4])),
      fc.constantFrom(deepArray, deepObject),
    );
  }
  if (types.includes('object')) families.push(fc.constantFrom(deepArray, deepObject));
  return fc.oneof(...families);
}

// ---------------------------------------------------------------------------------------------------
// Whole requests

interface Parts {
  pathValues: Record<string, string>;
  query: [string, string][];
  headers: [string, string][];
  body?: unknown;
}

const BAD_ESCAPES = [
  '%ff',
  '%c0%af',
  '%zz',
  '%',
  '%2',
  '%g0',
  '%e2%82',
  '%ed%a0%80',
  '%f4%90%80%80',
  '%2f',
  '%5c',
  '%2e%2e',
];

function renderTarget(
  operation: FuzzOperation,
  pathValues: Record<string, string>,
  query: [string, string][],
) {
  const path = operation.path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => pathValues[name] ?? '1');
  const search = query.map(([key, value]) => `${key}=${value}`).join('&');
  return search ? `${path}?${search}` : path;
}

/** A parameter value as it goes into a query string or path: strings as text, the rest as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : toJsonText(value);
}

function validParts(operation: FuzzOperation, pools: FuzzPools): fc.Arbitrary<Parts> {
  const pathValues = fc.record(
    Object.fromEntries(
      operation.pathParams.map((parameter) => {
        const pool = pathIdPool(operation, parameter.name, pools);
        // A valid value is sent as a client would: percent-encoded (a free-text one may hold spaces or '/').
        const value = validValue(parameter.schema, parameter.name, pools).map((raw) =>
          percentEncode(asText(raw)),
        );
        return [
          parameter.name,
          pool.length > 0 ? fc.oneof(fc.constantFrom(...pool.map(String)), value) : value,
        ];
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const optionalPairs = (parameters: FuzzParameter[], encode: (value: string) => string) =>
    fc
      .tuple(
        ...parameters.map((parameter) => {
          const pair = validValue(parameter.schema, parameter.name, pools).map(
            (value) => [parameter.name, encode(asText(value))] as [string, string],
          );
          // Optional parameters are left out a third of the time.
          return parameter.required ? pair : fc.option(pair, { nil: undefined, freq: 2 });
        }),
      )
      .map((pairs) => pairs.filter((pair): pair is [string, string] => pair !== undefined));
  return fc.record({
    pathValues,
    query: optionalPairs(operation.query, percentEncode),
    headers: optionalPairs(operation.headers, headerSafe),
    body: operation.body ? validValue(operation.body, 'body', pools) : fc.constant(undefined),
  });
}

function jsonRequest(
  operation: FuzzOperation,
  parts: Parts,
  kind: MutationKind,
  mutation: string,
): FuzzRequest {
  const headers = [...parts.headers];
  let body: Buffer | undefined;
  if (parts.body !== undefined) {
    headers.push(['content-type', 'application/json']);
    body = Buffer.from(toJsonText(parts.body), 'utf8');
  }
  return {
    kind,
    mutation,
    method: operation.method,
    target: renderTarget(operation, parts.pathValues, parts.query),
    headers,
    body,
    credential: 'token',
  };
}

function pathValueMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      base,
      fc.constantFrom(...operation.pathParams),
      fc.oneof(
        fc.constantFrom(
          '0',
          '-1',
          '1.5',
          '1e3',
          '0x1',
          'abc',
          'null',
          '9'.repeat(17),
          '9'.repeat(40),
          '18446744073709551616',
          '%20',
          '+1',
        ),
        fc.constantFrom(...NASTY_STRINGS.filter((value) => value.length < 1000)).map(percentEncode),
        fc.string({ maxLength: 20, unit: 'binary' }).map(percentEncode),
        fc.constantFrom(2_000, 9_000).map((length) => '9'.repeat(length)),
      ),
    )
    .map(([parts, parameter, value]) =>
      jsonRequest(
        operation,
        { ...parts, pathValues: { ...parts.pathValues, [parameter.name]: value } },
        'path-value',
        `path ${parameter.name}=${value.slice(0, 60)}`,
      ),
    );
}

function pathEscapeMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      base,
      fc.constantFrom(...operation.pathParams),
      fc.constantFrom(...BAD_ESCAPES),
      fc.constantFrom('alone', 'after', 'before'),
    )
    .map(([parts, parameter, escape, where]) => {
      const current = parts.pathValues[parameter.name] ?? '1';
      const value =
        where === 'alone' ? escape : where === 'after' ? `${current}${escape}` : `${escape}${current}`;
      return jsonRequest(
        operation,
        { ...parts, pathValues: { ...parts.pathValues, [parameter.name]: value } },
        'path-escape',
        `path ${parameter.name}=${value}`,
      );
    });
}

function queryValueMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  return fc
    .constantFrom(...operation.query)
    .chain((parameter) =>
      fc.tuple(base, fc.constant(parameter), malformedValue(parameter.schema, parameter.name)),
    )
    .map(([parts, parameter, value]) => {
      const others = parts.query.filter(([key]) => key !== parameter.name);
      // Arrays go as repeated parameters and objects as brackets, the two ways a query string can nest.
      const pairs: [string, string][] =
        value instanceof RawJson
          ? [[parameter.name, percentEncode(value.text)]]
          : Array.isArray(value)
            ? value.slice(0, 200).map((item) => [parameter.name, percentEncode(asText(item))])
            : value !== null && typeof value === 'object'
              ? Object.entries(value).map(([key, item]) => [
                  `${parameter.name}%5B${key}%5D`,
                  percentEncode(asText(item)),
                ])
              : [[parameter.name, percentEncode(asText(value))]];
      return jsonRequest(
        operation,
        { ...parts, query: [...others, ...pairs] },
        'query-value',
        `query ${parameter.name}=${asText(value).slice(0, 60)}`,
      );
    });
}

function queryShapeMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  const names = operation.query.map((parameter) => parameter.name);
  const name = names.length > 0 ? fc.constantFrom(...names) : fc.constant('q');
  return fc
    .tuple(
      base,
      name,
      fc.constantFrom(
        'duplicate',
        'duplicate-empty',
        'brackets',
        'nested-brackets',
        'bare',
        'empty',
        'bad-escape',
        'unknown',
        'many',
        'plus-and-hash',
      ),
      fc.constantFrom(...BAD_ESCAPES),
    )
    .map(([parts, key, shape, escape]) => {
      const existing = parts.query.find(([candidate]) => candidate === key)?.[1] ?? '1';
      const others = parts.query.filter(([candidate]) => candidate !== key);
      const added: [string, string][] = {
        duplicate: [
          [key, existing],
          [key, `${existing}0`],
        ],
        'duplicate-empty': [
          [key, existing],
          [key, ''],
        ],
        brackets: [[`${key}[]`, existing]],
        'nested-brackets': [[`${key}[a][b]`, existing]],
        bare: [[key, '']],
        empty: [['', existing]],
        'bad-escape': [[key, `${existing}${escape}`]],
        unknown: [
          [key, existing],
          ['__proto__[admin]', '1'],
          ['constructor', 'x'],
        ],
        many: Array.from(
          { length: 500 },
          (_, index) => [`${key}${index % 3 === 0 ? '' : index}`, '1'] as [string, string],
        ),
        'plus-and-hash': [[key, `${existing}+%23+%26`]],
      }[shape] as [string, string][];
      // `bare` sends the key without '=' at all.
      const query = [...others, ...added];
      const request = jsonRequest(operation, { ...parts, query }, 'query-shape', `query ${shape} ${key}`);
      if (shape === 'bare') request.target = request.target.replace(`${key}=`, key);
      return request;
    });
}

const NASTY_HEADER_VALUES = [
  '',
  ' ',
  'x'.repeat(10_000),
  'x'.repeat(200),
  '\x7f',
  'ÿ\x80\xa0',
  '"',
  'W/',
  '*',
  ', ,',
  'wait=999',
  'wait=-1',
  'wait=10, wait=0',
  'wait=1e9',
];

function headerMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  const names = operation.headers.map((parameter) => parameter.name);
  return fc
    .tuple(
      base,
      fc.constantFrom(...names),
      fc.oneof(
        fc.constantFrom(...NASTY_HEADER_VALUES.map(headerSafe)),
        fc.constantFrom(...NASTY_STRINGS).map(headerSafe),
        fc.string({ maxLength: 64, unit: 'binary' }).map(headerSafe),
      ),
      fc.boolean(),
    )
    .map(([parts, name, value, duplicate]) => {
      const others = parts.headers.filter(([candidate]) => candidate !== name);
      const headers: [string, string][] = duplicate
        ? [...parts.headers.filter(([candidate]) => candidate === name), ...others, [name, value]]
        : [...others, [name, value]];
      if (duplicate && !parts.headers.some(([candidate]) => candidate === name)) headers.push([name, value]);
      return jsonRequest(
        operation,
        { ...parts, headers },
        'header',
        `header ${name}${duplicate ? ' (twice)' : ''}=${value.slice(0, 60)}`,
      );
    });
}

/** Every property path of a schema's objects (nested objects and array items included). */
function propertyPaths(
  schema: JsonSchema,
  prefix: string[] = [],
  depth = 0,
): { path: string[]; schema: JsonSchema }[] {
  if (depth > 5) return [];
  const paths: { path: string[]; schema: JsonSchema }[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    paths.push({ path: [...prefix, name], schema: property });
    paths.push(...propertyPaths(property, [...prefix, name], depth + 1));
    if (property.items) paths.push(...propertyPaths(property.items, [...prefix, name, '0'], depth + 1));
  }
  return paths;
}

/** A copy of `value` with the property at `path` replaced (or removed, with `remove`); objects are created on the way. */
function withProperty(value: unknown, path: string[], replacement: unknown, remove: boolean): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const container: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : value !== null && typeof value === 'object'
      ? { ...(value as Record<string, unknown>) }
      : /^\d+$/.test(head)
        ? []
        : {};
  const current = (container as Record<string, unknown>)[head];
  if (rest.length === 0 && remove) {
    if (Array.isArray(container)) container.splice(Number(head), 1);
    else delete container[head];
  } else {
    (container as Record<string, unknown>)[head] = withProperty(current, rest, replacement, remove);
  }
  return container;
}

function bodyFieldMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  const schema = operation.body!;
  const paths = propertyPaths(schema);
  const field =
    paths.length > 0
      ? fc.constantFrom(...paths).chain((target) =>
          fc.oneof(
            {
              weight: 6,
              arbitrary: malformedValue(target.schema, target.path[target.path.length - 1] ?? '').map(
                (value) => ({ target, value, remove: false }),
              ),
            },
            { weight: 1, arbitrary: fc.constant({ target, value: undefined as unknown, remove: true }) },
          ),
        )
      : fc.constant({
          target: { path: ['unexpected'] as string[], schema: {} as JsonSchema },
          value: 'x' as unknown,
          remove: false,
        });
  return fc
    .tuple(base, field)
    .map(([parts, { target, value, remove }]) =>
      jsonRequest(
        operation,
        { ...parts, body: withProperty(parts.body ?? {}, target.path, value, remove) },
        'body-field',
        remove
          ? `body without ${target.path.join('.')}`
          : `body ${target.path.join('.')}=${String(value instanceof RawJson ? value : toJsonText(value)).slice(0, 60)}`,
      ),
    );
}

const BODY_TEXTS: { name: string; text: string | Buffer; contentType?: string }[] = [
  { name: 'empty', text: '' },
  { name: 'deep array 10k', text: deepJsonText(10_000, 'array') },
  { name: 'deep object 10k', text: deepJsonText(10_000, 'object') },
  { name: 'deep array 100k', text: deepJsonText(100_000, 'array') },
  { name: 'truncated', text: '{"a":' },
  { name: 'trailing comma', text: '{"a":1,}' },
  { name: 'single quotes', text: "{'a':1}" },
  { name: 'NaN', text: '{"a":NaN}' },
  { name: 'nul byte', text: '\u0000' },
  { name: 'bom', text: '\ufeff{}' },
  { name: 'null', text: 'null' },
  { name: 'number', text: '1' },
  { name: 'string', text: '"x"' },
  { name: 'true', text: 'true' },
  { name: 'array', text: '[]' },
  { name: 'lone surrogate', text: '{"a":"\\ud800"}' },
  {
    name: 'invalid utf-8',
    text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0xff, 0x22, 0x7d]),
  },
  { name: 'huge number', text: `{"a":1${'0'.repeat(5000)}}` },
  { name: 'many keys', text: `{${Array.from({ length: 5000 }, (_, index) => `"k${index}":1`).join(',')}}` },
  { name: 'over 100 kB', text: JSON.stringify({ a: 'x'.repeat(150_000) }) },
  { name: 'over 1 MB', text: JSON.stringify({ a: 'x'.repeat(1_200_000) }) },
  { name: 'form', text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'text', text: 'hello', contentType: 'text/plain' },
  {
    name: 'multipart',
    text: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
    contentType: 'multipart/form-data; boundary=x',
  },
  { name: 'utf-16 charset', text: '{}', contentType: 'application/json; charset=utf-16' },
  { name: 'unknown charset', text: '{}', contentType: 'application/json; charset=nope' },
  {
    name: 'latin1 charset',
    text: Buffer.from('{"a":"\xe9"}', 'latin1'),
    contentType: 'application/json; charset=latin1',
  },
  { name: 'no content-type', text: '{}', contentType: '' },
  { name: 'bad content-type', text: '{}', contentType: 'application/json; ;;; =' },
];

function bodyShapeMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  const textual = fc.constantFrom(...BODY_TEXTS).map((entry) => ({
    name: entry.name,
    bytes: Buffer.isBuffer(entry.text) ? entry.text : Buffer.from(entry.text, 'utf8'),
    contentType: entry.contentType ?? 'application/json',
  }));
  return fc
    .tuple(
      base,
      fc.oneof(
        { weight: 3, arbitrary: textual },
        { weight: 2, arbitrary: fc.constantFrom('unknown field', 'proto key', 'duplicate key') },
      ),
    )
    .map(([parts, shape]) => {
      const request = jsonRequest(operation, parts, 'body-shape', '');
      const headers = request.headers.filter(([name]) => name !== 'content-type');
      if (typeof shape !== 'string') {
        if (shape.contentType) headers.push(['content-type', shape.contentType]);
        return { ...request, headers, body: shape.bytes, mutation: `body ${shape.name}` };
      }
      const valid = toJsonText(parts.body ?? {});
      const inner = valid.startsWith('{') && valid.length > 2 ? `,${valid.slice(1)}` : '}';
      const text = {
        'unknown field': `{"unexpectedField":{"x":1}${inner}`,
        'proto key': `{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}${inner}`,
        'duplicate key': valid.startsWith('{"')
          ? `${valid.slice(0, -1)},${valid.slice(1, valid.indexOf(':') + 1)}"x"}`
          : valid,
      }[shape];
      headers.push(['content-type', 'application/json']);
      return { ...request, headers, body: Buffer.from(text, 'utf8'), mutation: `body ${shape}` };
    });
}

type Codec = 'gzip' | 'deflate' | 'br';

function compress(bytes: Buffer, codec: Codec): Buffer {
  if (codec === 'br') return brotliCompressSync(bytes);
  return codec === 'deflate' ? deflateSync(bytes) : gzipSync(bytes);
}

const bombs = new Map<Codec, Buffer>();

/** 20 MB of spaces in a few kB: the inflated size, not the wire size, is what a server must limit. */
function compressionBomb(codec: Codec): Buffer {
  let bomb = bombs.get(codec);
  if (!bomb) {
    bomb = compress(Buffer.alloc(20_000_000, 0x20), codec);
    bombs.set(codec, bomb);
  }
  return bomb;
}

const ENCODINGS = [
  'gzip',
  'deflate',
  'br',
  'x-gzip',
  'identity',
  'compress',
  'zstd',
  'gzip, gzip',
  'GZIP',
  'nope',
  'gzip, identity',
];

function bodyEncodingMutation(
  operation: FuzzOperation,
  base: fc.Arbitrary<Parts>,
): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      base,
      fc.constantFrom(...ENCODINGS),
      fc.constantFrom('garbage', 'truncated', 'wrong codec', 'valid', 'bomb'),
      fc.uint8Array({ minLength: 0, maxLength: 64 }),
    )
    .map(([parts, encoding, payload, garbage]) => {
      const request = jsonRequest(operation, parts, 'body-encoding', '');
      const json = request.body ?? Buffer.from('{}');
      const codec: Codec = encoding.toLowerCase().includes('br')
        ? 'br'
        : encoding.toLowerCase().includes('deflate')
          ? 'deflate'
          : 'gzip';
      const compressed = compress(json, codec);
      const body = {
        garbage: Buffer.from(garbage),
        truncated: compressed.subarray(0, Math.max(1, Math.floor(compressed.length / 2))),
        'wrong codec': compress(json, codec === 'gzip' ? 'br' : 'gzip'),
        valid: compressed,
        bomb: compressionBomb(codec),
      }[payload];
      const headers = request.headers.filter(([name]) => name !== 'content-type');
      headers.push(['content-type', 'application/json'], ['content-encoding', encoding]);
      return { ...request, headers, body, mutation: `body content-encoding ${encoding}, ${payload}` };
    });
}

function credentialMutation(operation: FuzzOperation, base: fc.Arbitrary<Parts>): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(base, fc.constantFrom<FuzzRequest['credential']>('none', 'garbage'))
    .map(([parts, credential]) => ({
      ...jsonRequest(operation, parts, 'credential', `credential ${credential}`),
      credential,
    }));
}

/**
 * Malformed requests for one operation. Each request is the operation's valid shape with one kind of
 * damage; kinds that do not apply (no path parameters, no body, ...) are left out, and `kinds` can
 * narrow the rest.
 */
export function fuzzRequests(
  operation: FuzzOperation,
  pools: FuzzPools,
  kinds: readonly MutationKind[] = MUTATION_KINDS,
): fc.Arbitrary<FuzzRequest> {
  const base = validParts(operation, pools);
  const applicable: [MutationKind, number, () => fc.Arbitrary<FuzzRequest>][] = [
    [
      'valid',
      1,
      () => base.map((parts) => jsonRequest(operation, parts, 'valid', 'none (valid by the schema)')),
    ],
    ['credential', 1, () => credentialMutation(operation, base)],
  ];
  if (operation.pathParams.length > 0) {
    applicable.push(['path-value', 2, () => pathValueMutation(operation, base)]);
    applicable.push(['path-escape', 2, () => pathEscapeMutation(operation, base)]);
  }
  if (operation.query.length > 0)
    applicable.push(['query-value', 4, () => queryValueMutation(operation, base)]);
  applicable.push([
    'query-shape',
    operation.query.length > 0 ? 2 : 1,
    () => queryShapeMutation(operation, base),
  ]);
  if (operation.headers.length > 0) applicable.push(['header', 2, () => headerMutation(operation, base)]);
  if (operation.body) {
    applicable.push(['body-field', 4, () => bodyFieldMutation(operation, base)]);
    applicable.push(['body-shape', 3, () => bodyShapeMutation(operation, base)]);
    applicable.push(['body-encoding', 2, () => bodyEncodingMutation(operation, base)]);
  } else {
    // A body where none is expected must be ignored or refused, never a crash.
    applicable.push(['body-shape', 1, () => bodyShapeMutation(operation, base)]);
    applicable.push(['body-encoding', 1, () => bodyEncodingMutation(operation, base)]);
  }
  const chosen = applicable.filter(([kind]) => kinds.includes(kind));
  if (chosen.length === 0)
    throw new Error(`no mutation kind in [${kinds.join(', ')}] applies to ${operation.key}`);
  return fc
    .oneof(...chosen.map(([, weight, arbitrary]) => ({ weight, arbitrary: arbitrary() })))
    .map(reportable);
}
