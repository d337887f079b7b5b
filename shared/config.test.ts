import { ConfigError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'mysql://root@127.0.0.1:3306/voltmall',
  REDIS_URL: 'redis://127.0.0.1:6379',
  GATEWAY_SECRET: 'x'.repeat(32),
  SMS_PAYLOAD_KEY: 'ab'.repeat(32),
  JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
};

describe('loadConfig', () => {
  it('when every required variable is set, then defaults fill the rest and PEM newlines are restored', () => {
    const config = loadConfig(valid);
    expect(config.BFF_PORT).toBe(3000);
    expect(config.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
    expect(config.JWT_PRIVATE_KEY).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
  });

  it('when DATABASE_URL is missing, then the error names it as missing', () => {
    const { DATABASE_URL: _omitted, ...rest } = valid;
    expect(() => loadConfig(rest)).toThrow(ConfigError);
    expect(() => loadConfig(rest)).toThrow('DATABASE_URL is missing');
  });

  it('when SHOP_TIME_ZONE is not a time zone, then it is named at start-up, not at the first statistics request', () => {
    expect(loadConfig({ ...valid, SHOP_TIME_ZONE: 'America/New_York' }).SHOP_TIME_ZONE).toBe(
      'America/New_York',
    );
    expect(() => loadConfig({ ...valid, SHOP_TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(
      'SHOP_TIME_ZONE is invalid',
    );
  });

  it('when a variable is blank, then it counts as missing', () => {
    expect(() => loadConfig({ ...valid, REDIS_URL: '' })).toThrow('REDIS_URL is missing');
  });

  it('when several variables are bad, then every one is named', () => {
    try {
      loadConfig({ ...valid, BFF_PORT: 'eighty', GATEWAY_SECRET: 'short', DATABASE_URL: 'postgres://x/y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const names = (error as ConfigError).problems.map((problem) => problem.split(' ')[0]);
      expect(names.sort()).toEqual(['BFF_PORT', 'DATABASE_URL', 'GATEWAY_SECRET']);
    }
  });

  it('when SMS_PAYLOAD_KEY is 32 bytes in hex or base64, then it is read as those bytes; otherwise it is named', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(loadConfig({ ...valid, SMS_PAYLOAD_KEY: bytes.toString('base64') }).SMS_PAYLOAD_KEY).toEqual(
      bytes,
    );
    expect(loadConfig(valid).SMS_PAYLOAD_KEY).toEqual(Buffer.alloc(32, 0xab));
    expect(() => loadConfig({ ...valid, SMS_PAYLOAD_KEY: 'too-short' })).toThrow(
      /SMS_PAYLOAD_KEY is invalid/,
    );
    const { SMS_PAYLOAD_KEY: _omitted, ...rest } = valid;
    expect(() => loadConfig(rest)).toThrow('SMS_PAYLOAD_KEY is missing');
  });
});
