/**
 * docs/api.http (VS Code REST Client / JetBrains HTTP client) must hold a request for every operation of the
 * contract, send nothing to an API path the contract does not list, and use only variables it defines.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allRouteDocs } from '../bff/openapi/document';
import type { RouteDoc } from '../bff/openapi/route-doc';

interface HttpRequest {
  method: string;
  url: string;
  /** 1-based line of the request line, for messages. */
  line: number;
}

interface HttpFile {
  requests: HttpRequest[];
  /** `@name = value` file variables and `# @prompt name` variables. */
  variables: Set<string>;
  /** `# @name name` of requests, whose answers `{{name.response...}}` refers to. */
  requestNames: string[];
  /** Lines that should have been a request line but are not one. */
  malformed: string[];
}

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)(?:\s+HTTP\/[\d.]+)?\s*$/;

/**
 * Requests are separated by `###` lines. In a block, comments (`#`, `//`) and file variables may come first;
 * the first other line is the request line and everything after it (headers, body) belongs to the request.
 */
function parseHttpFile(text: string): HttpFile {
  const parsed: HttpFile = { requests: [], variables: new Set(), requestNames: [], malformed: [] };
  let inRequest = false;
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^###/.test(line)) {
      inRequest = false;
      return;
    }
    if (inRequest || line.trim() === '') return;
    if (/^\s*(#|\/\/)/.test(line)) {
      const name = /@name\s+(\S+)/.exec(line)?.[1];
      if (name) parsed.requestNames.push(name);
      const prompt = /@prompt\s+(\S+)/.exec(line)?.[1];
      if (prompt) parsed.variables.add(prompt);
      return;
    }
    const variable = /^@([A-Za-z_][\w-]*)\s*=/.exec(line)?.[1];
    if (variable) {
      parsed.variables.add(variable);
      return;
    }
    const request = REQUEST_LINE.exec(line);
    if (request) {
      parsed.requests.push({ method: request[1]!, url: request[2]!, line: index + 1 });
      inRequest = true;
    } else parsed.malformed.push(`${index + 1}: ${line}`);
  });
  return parsed;
}

const BASE = '{{base}}';
const operationKey = (doc: Pick<RouteDoc, 'method' | 'path'>) => `${doc.method.toUpperCase()} ${doc.path}`;

/** `/api/orders/:id` → a regex matching `/api/orders/{{orderId}}` or `/api/orders/42` (one segment each). */
const pathPattern = (expressPath: string): RegExp =>
  new RegExp(
    `^${expressPath
      .split(/(:[A-Za-z]+)/)
      .map((part) => (part.startsWith(':') ? '[^/?#]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );

/** The path of a request to the gateway, without its query string; undefined for other hosts. */
const gatewayPath = (request: HttpRequest): string | undefined =>
  request.url.startsWith(`${BASE}/`) ? request.url.slice(BASE.length).split('?')[0] : undefined;

const handles = (doc: RouteDoc, request: HttpRequest): boolean => {
  const requestPath = gatewayPath(request);
  return (
    request.method === doc.method.toUpperCase() &&
    requestPath !== undefined &&
    pathPattern(doc.path).test(requestPath)
  );
};

describe('docs/api.http', () => {
  const text = readFileSync(path.join(__dirname, '..', 'docs', 'api.http'), 'utf8');
  const file = parseHttpFile(text);

  it('when it is parsed, then every block has a well-formed request line', () => {
    expect(file.malformed).toEqual([]);
    expect(file.requests.length).toBeGreaterThanOrEqual(allRouteDocs.length);
  });

  it('when the contract lists an operation, then the file has a request for it', () => {
    const missing = allRouteDocs
      .filter((doc) => !file.requests.some((request) => handles(doc, request)))
      .map(operationKey);
    expect(missing).toEqual([]);
  });

  it('when a request goes to an /api path, then it is an operation of the contract', () => {
    const unknown = file.requests
      .filter((request) => gatewayPath(request)?.startsWith('/api/'))
      .filter((request) => !allRouteDocs.some((doc) => handles(doc, request)))
      .map((request) => `${request.line}: ${request.method} ${request.url}`);
    expect(unknown).toEqual([]);
  });

  it('when a variable is used, then the file defines it or names the request it comes from', () => {
    const undefinedUses = new Set<string>();
    for (const [, expression] of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) {
      if (expression!.startsWith('$')) continue; // system variables: $guid, $timestamp, ...
      const reference = /^([\w-]+)\.(response|request)\.(body|headers)\b/.exec(expression!);
      const known = reference ? file.requestNames.includes(reference[1]!) : file.variables.has(expression!);
      if (!known) undefinedUses.add(expression!);
    }
    expect([...undefinedUses]).toEqual([]);
    const names = file.requestNames;
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});
