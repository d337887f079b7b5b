import { randomBytes } from 'node:crypto';
import { SealedTextError, openSealedText, parseSealingKey, sealText } from './sealed-text';

const key = randomBytes(32);

/** Flips one bit of the sealed bytes at `index` (iv, tag or ciphertext). */
function flipByte(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice('v1.'.length), 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return `v1.${bytes.toString('base64url')}`;
}

describe('sealed text', () => {
  it('when a text is sealed and opened with the same key and associated value, then it comes back unchanged', () => {
    const text = '[Voltmall] Your verification code is 012345 — 확인';
    const sealed = sealText(key, text, '+821012345678');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('012345');
    expect(openSealedText(key, sealed, '+821012345678')).toBe(text);
  });

  it('when the same text is sealed twice, then the two sealed texts differ (fresh nonce)', () => {
    expect(sealText(key, 'code 123456')).not.toBe(sealText(key, 'code 123456'));
  });

  it.each([
    ['the nonce', 0],
    ['the tag', 12],
    ['the ciphertext', 28],
  ])('when a bit of %s is changed, then opening fails', (_part, index) => {
    const sealed = sealText(key, 'code 123456');
    expect(() => openSealedText(key, flipByte(sealed, index))).toThrow(SealedTextError);
  });

  it('when it is opened with another key, then opening fails', () => {
    const sealed = sealText(key, 'code 123456');
    expect(() => openSealedText(randomBytes(32), sealed)).toThrow(SealedTextError);
  });

  it('when it is opened with another associated value, then opening fails', () => {
    const sealed = sealText(key, 'code 123456', '+821012345678');
    expect(() => openSealedText(key, sealed, '+821099999999')).toThrow(SealedTextError);
  });

  it.each(['', 'code 123456', 'v2.AAAA', 'v1.', 'v1.AAAA', 'v1.a.b', 'v1.***'])(
    'when %j is opened, then it is refused as not a sealed text',
    (value) => {
      expect(() => openSealedText(key, value)).toThrow(SealedTextError);
    },
  );

  it('when the key is not 32 bytes, then sealing refuses it', () => {
    expect(() => sealText(randomBytes(16), 'x')).toThrow(RangeError);
  });

  it('when a key is written as hex, base64 or base64url, then it parses to the same 32 bytes', () => {
    expect(parseSealingKey(key.toString('hex'))).toEqual(key);
    expect(parseSealingKey(key.toString('base64'))).toEqual(key);
    expect(parseSealingKey(key.toString('base64url'))).toEqual(key);
  });

  it.each(['', 'short', 'ab'.repeat(31), randomBytes(31).toString('base64'), 'g'.repeat(64)])(
    'when a key is %j, then it does not parse',
    (value) => {
      expect(parseSealingKey(value)).toBeUndefined();
    },
  );
});
