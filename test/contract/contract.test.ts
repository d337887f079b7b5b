/**
 * The contract test: every operation in the OpenAPI route lists is called for real through nginx, and
 * every answer must be a documented status with a body that matches the documented schema (success
 * bodies against their schema, errors against the error body). A documented operation without a case
 * here fails the test, so the document cannot list what nobody checked.
 */
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { allRouteDocs } from '../../bff/openapi/document';
import { errorBody, gatewayErrors, type RouteDoc } from '../../bff/openapi/route-doc';
import { seedDemo } from '../../seeds/seed-demo';
import { call, createUserWithToken, startStack, uniqueEmail, type TestStack } from '../support/stack';
import { contractCases, type ContractContext } from './cases';

const operationKey = (doc: Pick<RouteDoc, 'method' | 'path'>) => `${doc.method.toUpperCase()} ${doc.path}`;

describe('the API contract', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;
  let context: ContractContext;

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'contract',
      workerDomains: ['orders', 'stock', 'payments', 'stats'],
      env: { PAYMENT_GATEWAY_URL: pg.url },
      seed: (database) =>
        seedDemo(database.db, { nodeEnv: 'test', demoAccounts: true, log: () => undefined }).then(
          () => undefined,
        ),
    });
    const user = await createUserWithToken(stack);
    const admin = await createUserWithToken(stack, 'admin');
    const productId = Number((await stack.database.db('products').where('stock', '>', 10).first('id')).id);
    context = {
      stack,
      user,
      admin,
      productId,
      call: (method, path, options) => call(stack.url, method, path, options),
      uniqueEmail,
    };
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  it('when the document is built, then every operation has at least one contract case', () => {
    const documented = allRouteDocs.map(operationKey).sort();
    const covered = new Set(contractCases.map((contractCase) => contractCase.operation));
    expect(documented.filter((operation) => !covered.has(operation))).toEqual([]);
    expect([...covered].filter((operation) => !documented.includes(operation))).toEqual([]);
  });

  it.each(
    contractCases.map((contractCase) => [contractCase.operation, contractCase.name, contractCase] as const),
  )('%s — when %s, then the answer matches the document', async (operation, _name, contractCase) => {
    const doc = allRouteDocs.find((candidate) => operationKey(candidate) === operation)!;
    const response = await contractCase.run(context);
    const errorStatuses = new Set([...doc.errors, ...gatewayErrors(doc.auth)]);
    const success = doc.responses[response.status];
    expect({
      operation,
      status: response.status,
      documented: Boolean(success) || errorStatuses.has(response.status),
    }).toEqual({
      operation,
      status: response.status,
      documented: true,
    });
    if (contractCase.expectStatus !== undefined) expect(response.status).toBe(contractCase.expectStatus);
    const schema = success ? success.schema : errorBody;
    if (schema) {
      const parsed = schema.safeParse(response.body);
      expect(parsed.success ? 'matches' : parsed.error.issues).toBe('matches');
    }
  });
});
