import { refuseUnpairedSurrogates } from './well-formed-json';

const parse = (text: string) => JSON.parse(text, refuseUnpairedSurrogates);

describe('refuseUnpairedSurrogates', () => {
  it.each([
    ['a high surrogate alone', '{"a":"\\ud800"}'],
    ['a low surrogate alone', '{"a":"x\\udfff"}'],
    ['two surrogates in the wrong order', '{"a":"\\udfff\\ud800"}'],
    ['an unpaired surrogate in a key', '{"\\udc00":1}'],
    ['an unpaired surrogate deep in an array', '{"a":[[{"b":["\\ud83d"]}]]}'],
  ])('when JSON holds %s, then parsing throws', (_what, text) => {
    expect(() => parse(text)).toThrow(SyntaxError);
  });

  it.each([
    ['an emoji as a surrogate pair', '{"a":"\\ud83d\\ude00"}', { a: '😀' }],
    ['an emoji as UTF-8', '{"a":"😀"}', { a: '😀' }],
    ['plain text, numbers and nulls', '{"a":"Seoul","b":[1,null,true]}', { a: 'Seoul', b: [1, null, true] }],
  ])('when JSON holds %s, then it parses as usual', (_what, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});
