import type { IDToken, UserInfoResponse } from 'openid-client';
import { loadConfig } from '../../../shared/config';
import { kakaoProfile } from './kakao';
import { e164Phone, normalisedEmail } from './login-provider';
import { naverProfile } from './naver';
import { enabledProviders } from './index';
import { standardOidcProfile } from './oidc-provider';

const idToken = (claims: Record<string, unknown>): IDToken =>
  ({ iss: 'https://issuer', aud: 'client', iat: 0, exp: 1, sub: '42', ...claims }) as IDToken;
const userInfo = (claims: Record<string, unknown>): UserInfoResponse =>
  ({ sub: '42', ...claims }) as UserInfoResponse;

describe('kakaoProfile', () => {
  it("when only the ID token carries the e-mail (Kakao's never says verified), then it is not verified", () => {
    expect(kakaoProfile({ idToken: idToken({ email: 'A@Example.com', nickname: '라이언' }) })).toEqual({
      subject: '42',
      email: 'a@example.com',
      emailVerified: false,
      name: '라이언',
      phone: undefined,
    });
  });

  it('when UserInfo states email_verified for the same address, then it is verified', () => {
    const profile = kakaoProfile({
      idToken: idToken({ email: 'a@example.com' }),
      userInfo: userInfo({ email: 'A@example.com', email_verified: true }),
    });
    expect(profile).toMatchObject({ email: 'a@example.com', emailVerified: true });
  });

  it('when UserInfo says the e-mail is not verified, then it is not', () => {
    const profile = kakaoProfile({
      idToken: idToken({ email: 'a@example.com' }),
      userInfo: userInfo({ email: 'a@example.com', email_verified: false }),
    });
    expect(profile.emailVerified).toBe(false);
  });

  it("when UserInfo has Kakao's phone number, then it becomes E.164 (and is never marked verified here)", () => {
    const profile = kakaoProfile({
      idToken: idToken({}),
      userInfo: userInfo({ phone_number: '+82 10-1234-5678', phone_number_verified: true }),
    });
    expect(profile).toMatchObject({ phone: '+821012345678', email: undefined, emailVerified: false });
  });
});

describe('standardOidcProfile (Google, the dev provider)', () => {
  it('when email_verified is true, then the address is trusted; when false or absent, then not', () => {
    expect(
      standardOidcProfile({ idToken: idToken({ email: 'g@example.com', email_verified: true }) }),
    ).toEqual({
      subject: '42',
      email: 'g@example.com',
      emailVerified: true,
      name: undefined,
    });
    expect(
      standardOidcProfile({ idToken: idToken({ email: 'g@example.com', email_verified: 'true' }) })
        .emailVerified,
    ).toBe(false);
    expect(standardOidcProfile({ idToken: idToken({ email: 'g@example.com' }) }).emailVerified).toBe(false);
  });

  it('when the verified e-mail is not a plausible address, then nothing is trusted', () => {
    expect(
      standardOidcProfile({ idToken: idToken({ email: 'not an address', email_verified: true }) }),
    ).toMatchObject({ email: undefined, emailVerified: false });
  });
});

describe('naverProfile', () => {
  it('when Naver gives an e-mail, then it is never verified; the name falls back to the nickname; mobile_e164 wins', () => {
    expect(
      naverProfile({
        id: 'n1',
        email: 'n@naver.com',
        nickname: 'nick',
        mobile: '010-1111-2222',
        mobile_e164: '+821033334444',
      }),
    ).toEqual({
      subject: 'n1',
      email: 'n@naver.com',
      emailVerified: false,
      name: 'nick',
      phone: '+821033334444',
    });
  });

  it('when only the domestic mobile is given, then it is converted to E.164', () => {
    expect(naverProfile({ id: 'n2', mobile: '010-1111-2222' }).phone).toBe('+821011112222');
  });
});

describe('e164Phone and normalisedEmail', () => {
  it('when numbers come in the forms providers use, then they become E.164 or nothing', () => {
    expect(e164Phone('+82 10-1234-5678')).toBe('+821012345678');
    expect(e164Phone('+82 010-1234-5678')).toBe('+821012345678');
    expect(e164Phone('010 1234 5678')).toBe('+821012345678');
    expect(e164Phone('+1 (415) 555-0100')).toBe('+14155550100');
    expect(e164Phone('call me')).toBeUndefined();
    expect(e164Phone(12345)).toBeUndefined();
  });

  it('when addresses are given, then they are trimmed and lower-cased, and implausible ones dropped', () => {
    expect(normalisedEmail(' Kim@Example.COM ')).toBe('kim@example.com');
    expect(normalisedEmail('no-at-sign')).toBeUndefined();
    expect(normalisedEmail(`${'a'.repeat(250)}@b.co`)).toBeUndefined();
  });
});

describe('enabledProviders', () => {
  const baseEnv = {
    NODE_ENV: 'test',
    DATABASE_URL: 'mysql://u@127.0.0.1:3306/db',
    REDIS_URL: 'redis://127.0.0.1:6379',
  };

  it('when only the dev provider is configured, then only it is enabled', () => {
    expect([...enabledProviders(loadConfig({ ...process.env, ...baseEnv })).keys()]).toEqual(['fake']);
  });

  it('when a client id is set, then that provider is enabled, in display order', () => {
    const config = loadConfig({
      ...process.env,
      ...baseEnv,
      GOOGLE_CLIENT_ID: 'g',
      NAVER_CLIENT_ID: 'n',
      KAKAO_CLIENT_ID: 'k',
    });
    const providers = enabledProviders(config);
    expect([...providers.keys()]).toEqual(['kakao', 'naver', 'google', 'fake']);
    expect(providers.get('naver')).toMatchObject({
      kind: 'oauth2',
      displayName: { ko: '네이버', en: 'Naver' },
    });
  });
});
