import type { Config } from '../../../shared/config';
import { fakeProvider } from './fake';
import { googleProvider } from './google';
import { kakaoProvider } from './kakao';
import type { LoginProvider } from './login-provider';
import { naverProvider } from './naver';

export type { LoginProvider } from './login-provider';

/** Every provider the shop knows, in the order a login page shows them; each is on when configured. */
const PROVIDERS = [kakaoProvider, naverProvider, googleProvider, fakeProvider] as const;

/** The enabled providers by id (a provider is enabled when its client id is set). */
export function enabledProviders(config: Config): ReadonlyMap<string, LoginProvider> {
  return new Map(
    PROVIDERS.map((create) => create(config))
      .filter((provider): provider is LoginProvider => provider !== undefined)
      .map((provider) => [provider.id, provider]),
  );
}
