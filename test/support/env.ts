/**
 * Runs before each test file: a complete test environment, with a fresh signing key per file. Values
 * already set in the environment (e.g. DATABASE_URL on CI) win.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const { privateKey } = generateKeyPairSync('ed25519');

const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  TEST_MYSQL_URL: 'mysql://voltmall:voltmall@127.0.0.1:3306',
  REDIS_URL: 'redis://127.0.0.1:6379',
  GATEWAY_SECRET: randomBytes(32).toString('hex'),
  SMS_PAYLOAD_KEY: randomBytes(32).toString('base64'),
  // Never the real SOLAPI from a test: a test that sends SMS points this at its own fake.
  SOLAPI_BASE_URL: 'http://127.0.0.1:9',
  JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  JWT_KID: `test-${randomBytes(4).toString('hex')}`,
};

for (const [name, value] of Object.entries(defaults)) {
  if (!process.env[name]) process.env[name] = value;
}
// Processes the tests start skip .env under NODE_ENV=test (shared/config loadDotEnv), whatever the shell says.
process.env.NODE_ENV = 'test';
// Set per test file by the support helpers, never inherited from a developer's shell.
process.env.DATABASE_URL = `${process.env.TEST_MYSQL_URL}/unset_use_createTestDatabase`;
// Likewise the read replica: startTestBff derives it from TEST_MYSQL_REPLICA_URL when that is set.
delete process.env.DATABASE_REPLICA_URL;
